#!/usr/bin/env bash
# Rebuilds the seed corpus in fuzz/corpus/ from tests/fixtures/ plus a few
# hand-written inputs. Run from anywhere; overwrites corpus/decode and
# corpus/endpoints. See corpus/README.md for the layout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../tests/fixtures"
decode="$here/corpus/decode"
endpoints="$here/corpus/endpoints"
rm -rf "$decode" "$endpoints"
mkdir -p "$decode" "$endpoints"

# seed KIND WIRE NAME [PREFIX_BYTES_PRINTF]  < body
# The selector byte is KIND*2 + WIRE (0 = JSON, 1 = XML).
seed() {
    local kind=$1 wire=$2 name=$3 prefix=${4:-}
    local selector=$((kind * 2 + wire))
    local ext=json; [ "$wire" = 1 ] && ext=xml
    { printf "\\x$(printf %02x "$selector")"; printf "$prefix"; cat; } \
        > "$decode/$(printf %02d "$kind")-$ext-$name"
}

# decode_body kinds, in the order of fuzz_targets/decode.rs.
declare -A kinds=(
    [infocon]=0 [handler]=1 [ip-]=2 [port-80]=3 [portdate-]=3 [porthistory-]=4
    [topports-]=5 [topips-]=6 [sources-]=7 [asnum-]=8 [backscatter]=9
    [dailysummary-]=10 [daily404summary-]=11 [daily404detail-]=12 [glossary-]=13
    [webhoneypotsummary-]=14 [webhoneypotbytype-]=15
)
for file in "$fixtures"/*.json "$fixtures"/*.xml; do
    base=$(basename "$file")
    wire=0; [ "${base##*.}" = xml ] && wire=1
    matched=
    for prefix in "${!kinds[@]}"; do
        if [[ $base == "$prefix"* ]]; then
            seed "${kinds[$prefix]}" "$wire" "${base%.*}" < "$file"
            matched=1
        fi
    done
    if [ -z "$matched" ]; then
        # Newer endpoints with no model yet: feed them to the list types.
        for kind in 7 8 13 15; do seed "$kind" "$wire" "${base%.*}" < "$file"; done
    fi
done

# decode_response kinds: 16 infocon, 17 ip, 18 port, 19 porthistory,
# 20 topports + glossary. Prefix: [status index][n][n bytes Retry-After].
seed 16 0 ok '\x00\x00' < "$fixtures/infocon.json"
seed 17 0 ok '\x00\x00' < "$fixtures/ip-1.85.2.119.json"
seed 18 1 ok '\x00\x00' < "$fixtures/port-80.xml"
seed 19 0 ok '\x00\x00' < "$fixtures/porthistory-80-2011-07-20-2011-07-23.json"
seed 20 0 ok '\x00\x00' < "$fixtures/topports-records-25-2026-10-05.json"
printf '{"error":"bad IP address"}' | seed 17 0 refusal-json '\x00\x00'
printf '<?xml version="1.0"?>\n<ip><number>bad IP address 999</number></ip>' | seed 17 1 refusal-xml '\x00\x00'
printf '<error>Too many requests</error>' | seed 18 1 refusal-error-element '\x00\x00'
printf 'Too many requests' | seed 16 0 429-seconds '\x01\x03120'
printf 'slow down' | seed 17 1 429-date '\x01\x1dWed, 21 Oct 2015 07:28:00 GMT'
printf '<!DOCTYPE html><html><body>503</body></html>' | seed 19 1 503-html '\x03\x00'
printf '<html><head><title>down</title></head></html>' | seed 20 0 200-html '\x00\x00'

# A few hostile bodies.
printf '\xef\xbb\xbf<?xml version="1.0"?><infocon><status>green</status></infocon>' | seed 0 1 bom
printf '<sources><data><ip>1.2.3.4</ip><attacks>&#x10FFFF;&amp;</attacks></data><data><![CDATA[x' | seed 7 1 truncated
printf '{"0":{"ip":"046.101.124.074","attacks":"12"},"1":null,"METAKEYINFO":{"x":1},"date":"0000-00-00"}' | seed 7 0 keyed-zero-date
printf '[[[[[[[[[[[[[[[[{"":[]}]]]]]]]]]]]]]]]]' | seed 8 0 nested

# endpoints: fields separated by 0xFF:
# ip, port, date A, date B, sort key, limit, AS number, glossary term.
n=0
ep() { n=$((n + 1)); printf "$1" > "$endpoints/$(printf %02d $n)-$2"; }
ep '1.85.2.119\xff80\xff2011-07-20\xff2011-07-23\xffrecords\xff10\xff4837\xfftest' valid
ep '046.101.124.074\xff0080\xff2012-05-01\xff2012-07-01\xffattacks\xff10000\xff0\xffssh' zero-padded
ep '2001:db8::1\xff65535\xff2002-01-01\xff2002-01-30\xfftargets\xff2000\xff4294967295\xff::1' ipv6
ep '::ffff:1.2.3.4\xff65536\xff2024-02-29\xff2023-02-29\xfffirstseen\xff0\xff1\xff\xc3\xa9t\xc3\xa9' mapped-leap
ep '1.2.3.4/x\xff80/../x\xff../\xff%%2e%%2e\xff..\xff-1\xff-1\xff../' traversal
ep '%%2e%%2e\xff+80\xff2011-02-30\xff9999-12-31\xffRecords\xff4294967295\xff2000\xff..' dots
ep '\xef\xbc\x91.2.3.4\xff\xd9\xa8\xd9\xa0\xff2011-07-03\xff2011-07-03\xfflastseen\xff10001\xff\xff\xe3\x82\xb0/?#' unicode
ep '1.2.3.4?xml\xff 80\xff0000-01-01\xff0001-12-31\xffcount\xff1\xff65536\xff.' year-zero
ep 'fe80::1%%eth0\xff0x50\xff2002-01-01\xff2004-12-31\xffip\xff2001\xff13335\xff a?b#c d%%/e ' windows
ep '[::1]\xff00000000080\xff2026-10-05\xff2026-10-04\xffsources\xff30\xff4837\xff \t ' reversed
