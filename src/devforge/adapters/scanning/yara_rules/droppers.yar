// Code that fetches something and runs it, or opens a shell to a remote host. Documentation
// (READMEs telling a user to run an installer) is not code: "filename" is the file's path.
private rule documentation {
    condition:
        filename matches /\.(md|markdown|txt|rst|adoc|html?)$/i
}
rule download_piped_to_shell {
    meta:
        description = "downloads a script and pipes it into a shell"
    strings:
        $pipe = /(curl|wget)[^|;&\n]{1,200}\|\s*(sudo\s+)?(ba|z|da)?sh\b/ nocase
        $iex = /(iwr|irm|invoke-webrequest|invoke-restmethod)[^|;\n]{1,200}\|\s*iex\b/ nocase
    condition:
        not documentation and any of them
}

rule reverse_shell {
    meta:
        description = "opens a shell to a remote host"
    strings:
        $bash = /bash\s+-i\s*>&\s*\/dev\/tcp\//
        $nc = /\bnc(at)?\s+(-\w+\s+)*-e\s+\/bin\/(ba)?sh/
        $mkfifo = /mkfifo\s+\/tmp\/\w+;\s*cat\s+\/tmp\/\w+\s*\|\s*\/bin\/(ba)?sh/
    condition:
        any of them
}

rule powershell_encoded_command {
    meta:
        description = "runs an encoded PowerShell command"
    strings:
        $enc = /powershell(\.exe)?\s+(-\w+\s+)*-(e|enc|encodedcommand)\s+[A-Za-z0-9+\/=]{40,}/ nocase
    condition:
        not documentation and $enc
}
