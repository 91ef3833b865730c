// The anti-malware test file: every scanner must find it, wherever it hides.
rule EICAR_test_file {
    meta:
        description = "the EICAR anti-malware test file"
    strings:
        $eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    condition:
        $eicar
}
