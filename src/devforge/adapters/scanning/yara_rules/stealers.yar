// Code that reads credentials it has no business with, or mines coins.
rule credential_store_reader {
    meta:
        description = "reads browser, Discord or npm credential stores"
    strings:
        $discord = "discord" nocase
        $leveldb = "Local Storage/leveldb" nocase
        $webhook = /discord(app)?\.com\/api\/webhooks\/\d+/
        $npmrc = ".npmrc"
        $authtoken = "_authToken"
        $chrome = "Login Data"
        $cookies = "Cookies"
        $user_data = "User Data" nocase
    condition:
        ($discord and $leveldb) or $webhook or ($npmrc and $authtoken) or ($chrome and $cookies and $user_data)
}

rule coin_miner {
    meta:
        description = "connects to a cryptocurrency mining pool"
    strings:
        $stratum = /stratum\+(tcp|ssl):\/\//
        $coinhive = "coinhive.min.js"
        $xmrig = "xmrig" nocase
    condition:
        any of them
}
