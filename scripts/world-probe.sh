#!/bin/sh
# Show what a running world serves for one domain: its truth row, the DNS answers
# (through dnsdist, as a scanner sees them), the policy fetch (curl with the world CA,
# never the system resolver) and each MX host's STARTTLS (openssl s_client, SNI = the MX
# name). Usage: scripts/world-probe.sh WORLD_DIR DOMAIN
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
if [ -f "$dir/mx-hosts.csv" ]; then
    echo "== mx-hosts.csv"
    grep "^$domain," "$dir/mx-hosts.csv" || echo "(not probed: delivery is NULL)"
fi
for host in $(dig @"$dns" +tries=1 +timeout=1 +short "$domain" MX | awk '$2 != "." {print $2}' | sed 's/\.$//'); do
    mxip=$(dig @"$dns" +tries=1 +timeout=1 +short "$host" A | tail -1)
    echo "== MX $host -> ${mxip:-no address}"
    [ -n "$mxip" ] || continue
    # A tarpit never greets: bound every probe.
    timeout 8 openssl s_client -starttls smtp -connect "$mxip:25" -servername "$host" -verify_hostname "$host" \
        -CAfile "$dir/ca.pem" -brief </dev/null 2>&1 \
        | grep -E "STARTTLS|Protocol version|Verification|verify error|Peer certificate|error:|connect:" || echo "-- exit $?"
done
