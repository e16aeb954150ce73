#!/usr/bin/env bash
# Writes vectors.json: for each *.body file here (the exact bytes of a delivery), the Secret Token
# and timestamp it is signed with, and the signature as OpenSSL computes it, the way Zoom signs:
#   x-zm-signature = "v0=" + hex(HMAC-SHA256(SecretToken, "v0:{timestamp}:" + raw body bytes))
# and for the URL-validation challenge the answer Zoom expects:
#   encryptedToken = hex(HMAC-SHA256(SecretToken, plainToken))
# No .NET code is involved, so tests/ZoomWebhooks.Tests/Signing/SignatureVectorTests.cs checks
# ZoomSignature against an independent implementation. The tokens are made up for these vectors.
#
# Run it after adding or changing a body:  bash tests/ZoomWebhooks.Tests/Signing/Vectors/make-vectors.sh
set -euo pipefail
cd "$(dirname "$0")"

# body file | Secret Token | x-zm-request-timestamp | what it carries
vectors=(
  "participant-joined.body|Vx7Qm2Lr9TkWp4Nz8BcDfA|1780000000|raw UTF-8 (é, 会议, emoji) beside \\uD83D\\uDE80 escapes; + / == in the uuid; Zoom's key order"
  "meeting-ended.pretty.body|Hs3Kd8Wq1ZpLx6Vb9NcRtE|1780000050|tabs, CRLF line ends and a final newline; payload before event; \\/ and \\u002B escapes beside a raw +; a numeric id"
  "url-validation.body|Pj5Ty2Gm7QwEr4Ua1SdFkL|1780000100|the endpoint.url_validation challenge, signed like every delivery, with spaces after the separators"
)

hmac_hex() { openssl dgst -sha256 -hmac "$1" | sed 's/^.* //'; }

{
  printf '{\n  "generatedBy": "make-vectors.sh with %s (openssl dgst -sha256 -hmac); do not edit by hand",\n  "vectors": [\n' "$(openssl version | cut -d' ' -f1-2)"
  for i in "${!vectors[@]}"; do
    IFS='|' read -r body secret timestamp about <<<"${vectors[$i]}"
    signature="v0=$( { printf 'v0:%s:' "$timestamp"; cat "$body"; } | hmac_hex "$secret")"
    plain=$(sed -n 's/.*"plainToken": *"\([^"]*\)".*/\1/p' "$body")
    if [[ -n "$plain" ]]; then
      encrypted="\"$(printf '%s' "$plain" | hmac_hex "$secret")\""
      plain="\"$plain\""
    else
      encrypted=null
      plain=null
    fi
    separator=$([[ $i -lt $((${#vectors[@]} - 1)) ]] && echo , || true)
    printf '    {\n      "body": "%s",\n      "about": "%s",\n      "secretToken": "%s",\n      "timestamp": "%s",\n      "signature": "%s",\n      "plainToken": %s,\n      "encryptedToken": %s\n    }%s\n' \
      "$body" "${about//\\/\\\\}" "$secret" "$timestamp" "$signature" "$plain" "$encrypted" "$separator"
  done
  printf '  ]\n}\n'
} >vectors.json

echo "wrote $(pwd)/vectors.json"
