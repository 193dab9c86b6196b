#!/bin/sh
# CGI for busybox httpd in a fleet guest: ask guest-stack.sh to stop this
# node (GET /cgi-bin/stop). The stack stops within 2 s, the guest unloads
# its modules and powers off: to Prometheus the node is simply gone.
mkdir -p /run/bcmon && : >/run/bcmon/stop
printf 'Content-Type: text/plain\r\n\r\nstopping\n'
