#!/usr/bin/env bash
# A certificate for serving 微商量 over HTTPS on a LAN without a public name: makes a local
# certificate authority once (kept, so devices trust it once) and, with it, a server
# certificate for the host names and IP addresses participants type. Needs Debian's openssl.
#
#   bash scripts/make-local-cert.sh [-d DIR] NAME_OR_IP...
#   bash scripts/make-local-cert.sh 192.168.1.10 wsl-server.local
#
# DIR defaults to $DATA_DIR/tls (./data/tls). It holds ca.crt (install it on the devices),
# ca.key (keep it secret), server.crt (the server certificate, then the CA: the chain) and
# server.key. Run it again with other names, or before the certificate expires: the CA is
# kept, the server certificate is made anew, and a running server takes it on SIGHUP.
set -euo pipefail

usage() {
  echo "usage: $0 [-d DIR] NAME_OR_IP..." >&2
  echo "  e.g. $0 $(hostname -I 2>/dev/null | awk '{print $1}') $(hostname).local" >&2
  exit 2
}

dir="${DATA_DIR:-data}/tls"
while getopts 'd:h' option; do
  case "$option" in
    d) dir="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
command -v openssl >/dev/null || { echo "$0: openssl is missing: sudo apt-get install openssl" >&2; exit 1; }

# Apple's platforms refuse a server certificate valid for more than 825 days, even under a CA
# the user installed; the others accept it.
SERVER_DAYS=825
CA_DAYS=3650

is_ipv4() {
  [[ "$1" =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  local part
  for part in "${BASH_REMATCH[@]:1}"; do [ "$((10#$part))" -le 255 ] || return 1; done
}
is_ipv6() { [[ "$1" == *:* && "$1" =~ ^[0-9A-Fa-f:.]+$ ]]; }
# A name of digits and dots only is a mistyped IPv4 address, not a host name.
is_dns() { [[ ! "$1" =~ ^[0-9.]+$ && "$1" =~ ^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$ ]]; }

san=()
announce=''
for name in "$@"; do
  if is_ipv4 "$name" || is_ipv6 "$name"; then
    san+=("IP:$name")
    # The first address other devices reach: what ANNOUNCED_IP should be, printed below.
    if [ -z "$announce" ] && [[ "$name" != 127.* && "$name" != ::1 ]]; then announce="$name"; fi
  elif is_dns "$name"; then
    san+=("DNS:$name")
  else
    echo "$0: '$name' is neither a host name nor an IP address" >&2
    exit 2
  fi
done
san_list="$(IFS=,; echo "${san[*]}")"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
umask 077

# Our own openssl configuration, so that the extensions do not depend on the machine's openssl.cnf.
cat >"$work/openssl.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $san_list
EOF

if [ -f "$dir/ca.crt" ] || [ -f "$dir/ca.key" ]; then
  if ! [ -f "$dir/ca.crt" ] || ! [ -f "$dir/ca.key" ]; then
    echo "$0: $dir holds only one of ca.crt and ca.key; restore the other or move both away" >&2
    exit 1
  fi
  echo "using the local CA in $dir (devices that trust it need nothing new)"
else
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key" 2>/dev/null
  openssl req -new -x509 -config "$work/openssl.cnf" -extensions ca -key "$work/ca.key" -sha256 -days "$CA_DAYS" \
    -subj "/O=Wei Shangliang/CN=Wei Shangliang local CA $(hostname) $(date -u +%Y-%m-%d)" -out "$work/ca.crt"
  mv "$work/ca.key" "$dir/ca.key"
  chmod 644 "$work/ca.crt"
  mv "$work/ca.crt" "$dir/ca.crt"
  echo "made a local CA in $dir"
fi

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/server.key" 2>/dev/null
openssl req -new -config "$work/openssl.cnf" -key "$work/server.key" -subj "/CN=$1" -out "$work/server.csr"
openssl x509 -req -in "$work/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
  -days "$SERVER_DAYS" -sha256 -extfile "$work/openssl.cnf" -extensions server -out "$work/server.pem" 2>/dev/null
cat "$work/server.pem" "$dir/ca.crt" >"$work/server.crt"
chmod 644 "$work/server.crt"
# Each file is replaced whole (rename), so a server reloading on SIGHUP never reads half a file.
mv "$work/server.key" "$dir/server.key"
mv "$work/server.crt" "$dir/server.crt"

until="$(openssl x509 -in "$dir/server.crt" -noout -enddate | cut -d= -f2)"
host="$1"
[[ "$host" == *:* ]] && host="[$host]"
fingerprint="$(openssl x509 -in "$dir/ca.crt" -noout -fingerprint -sha256 | cut -d= -f2)"
cat <<EOF
made the server certificate for ${san_list//,/, } (valid until $until)

Start the server with:
  TLS_CERT=$dir/server.crt TLS_KEY=$dir/server.key${announce:+ ANNOUNCED_IP=$announce} npm start
and open https://$host:\${PORT:-3000}. A server already running takes the new files on the "kill -HUP <pid>" it logs at start.

Trust the local CA once on every device that joins: copy $dir/ca.crt to it (never ca.key).
  Its SHA-256 fingerprint, to compare on the device: $fingerprint
  Windows: certutil -addstore -f Root ca.crt (administrator prompt), then restart the browser
  Android: Settings > Encryption & credentials > Install a certificate > CA certificate
  iOS/iPadOS: open it, Settings > General > VPN & Device Management > Install, then
    Settings > General > About > Certificate Trust Settings > full trust
  Chrome on Linux: certutil -d sql:\$HOME/.pki/nssdb -A -t "C,," -n "Wei Shangliang local CA" -i ca.crt
  (details in the README, "HTTPS")
Keep $dir/ca.key secret: a device that trusts this CA accepts any certificate made with it.
EOF
