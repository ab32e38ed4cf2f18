#!/usr/bin/env bash
# Installs Debian's chromium and a CJK font for the browser tests, and LibreOffice (Calc,
# without GUI) with poppler-utils for the print tests of the xlsx exports, once.
# Never downloads a browser of its own: Playwright drives /usr/bin/chromium.
set -u
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" \
    && command -v libreoffice >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    SUDO="sudo"
else
    SUDO=""
fi
if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null 2>&1 \
        || echo "chromium 无法安装：浏览器测试将跳过"
    $SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui poppler-utils >/dev/null 2>&1 \
        || echo "LibreOffice 无法安装：导出打印测试将跳过"
else
    echo "没有 apt-get：无法安装 chromium，浏览器测试将跳过"
fi
exit 0
