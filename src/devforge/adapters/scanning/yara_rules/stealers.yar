// Code that reads credentials it has no business with, or mines coins. Kept narrow: a rule here
// blocks a release, so a clause that honest tools also match (".npmrc" with "_authToken", the
// names of browser profile files) stays out.
rule credential_store_reader {
    meta:
        description = "reads Discord's token store or posts to a Discord webhook"
    strings:
        $discord = "discord" nocase
        $leveldb = "Local Storage/leveldb" nocase
        $webhook = /discord(app)?\.com\/api\/webhooks\/\d{15,}\//
    condition:
        ($discord and $leveldb) or $webhook
}

rule coin_miner {
    meta:
        description = "connects to a cryptocurrency mining pool"
    strings:
        $stratum = /stratum\+(tcp|ssl):\/\//
        $coinhive = "coinhive.min.js"
    condition:
        any of them
}
