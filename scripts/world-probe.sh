#!/bin/sh
# Show what a running world serves for one domain: its truth row, the DNS answers
# (through dnsdist, as a scanner sees them) and the policy fetch (curl with the world CA,
# never the system resolver). Usage: scripts/world-probe.sh WORLD_DIR DOMAIN
set -eu
dir=$1
domain=$2
json="$dir/world.json"
field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" "$json" | head -1; }
dns=$(field dnsdist | cut -d: -f1)
timeout=$(sed -n 's/.*"fetchTimeoutSeconds" *: *\([0-9]*\).*/\1/p' "$json")

echo "== truth"
head -1 "$dir/truth.csv"
grep "^$domain," "$dir/truth.csv" || echo "(not in truth.csv)"
for q in "$domain MX" "_mta-sts.$domain TXT" "mta-sts.$domain A" "_smtp._tls.$domain TXT"; do
    echo "== dig $q"
    # shellcheck disable=SC2086
    dig @"$dns" +tries=1 +timeout=1 +nocookie +noall +comments +answer $q | grep -E "status:|flags:|IN" || true
done
ip=$(dig @"$dns" +tries=1 +timeout=1 +short "mta-sts.$domain" A | tail -1)
if [ -n "$ip" ]; then
    echo "== curl https://mta-sts.$domain/.well-known/mta-sts.txt via $ip"
    curl -sS -m "$((timeout + 1))" --cacert "$dir/ca.pem" --connect-to "mta-sts.$domain:443:$ip:443" \
        -w '\n-- http %{http_code} type %{content_type} bytes %{size_download} verify %{ssl_verify_result}\n' \
        "https://mta-sts.$domain/.well-known/mta-sts.txt" | head -c 2000 | cat -v || echo "-- curl exit $?"
fi
