#!/bin/sh
# The tests need a few Debian packages: Chromium for browser tests (never a downloaded
# browser build), and the independent PDF and signature tools the issued documents are
# checked with: poppler-utils (pdfsig, pdftotext, pdftoppm), qpdf, libnss3-tools (certutil,
# for pdfsig's trust store) and zbar-tools (zbarimg, to read the QR code back); softhsm2 (a
# PKCS#11 token in a temp folder, for seal keys in an HSM) and opensc (pkcs11-tool, which
# generates the keys inside it); xmlsec1 (signs the trusted lists (ETSI TS 119 612) the verifier's
# trusted-list tests read, an XMLDSig implementation independent of Overa's); and, for the verifier's long-term validation tests, PDFBox 2 with Bouncy Castle (another program writing
# DSS and document time-stamps) and a Java runtime to run it.
# Install what is missing when we can (root with apt), otherwise stop and say what to run.
set -e
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=""
[ -x "$CHROMIUM" ] || missing="$missing chromium"
command -v pdfsig >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"
command -v certutil >/dev/null 2>&1 || missing="$missing libnss3-tools"
command -v zbarimg >/dev/null 2>&1 || missing="$missing zbar-tools"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
{ command -v softhsm2-util >/dev/null 2>&1 && [ -f /usr/lib/softhsm/libsofthsm2.so ]; } || missing="$missing softhsm2"
command -v pkcs11-tool >/dev/null 2>&1 || missing="$missing opensc"
command -v xmlsec1 >/dev/null 2>&1 || missing="$missing xmlsec1"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
[ -f /usr/share/java/pdfbox2.jar ] || missing="$missing libpdfbox2-java"
[ -f /usr/share/java/bcpkix.jar ] && [ -f /usr/share/java/bcprov.jar ] || missing="$missing libbcpkix-java libbcprov-java"
[ -z "$missing" ] && exit 0
if [ "$1" != "--checked" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages the tests need:$missing (apt-get)…"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exec sh "$0" --checked
fi
[ "$1" = "--checked" ] && echo "apt-get ran, but some tools are still missing." >&2
echo "The tests need these Debian packages:$missing" >&2
echo "Install them with:  sudo apt-get update && sudo apt-get install -y$missing" >&2
echo "(or set CHROMIUM_PATH to a Chromium binary)" >&2
exit 1
