/* SPDX-License-Identifier: GPL-2.0 */
/* bcmonctl net: printing a network probe snapshot for people or as JSON. */
#ifndef BCMON_CTL_NET_FORMAT_H
#define BCMON_CTL_NET_FORMAT_H

#include <stdio.h>

#include <bcmon/netprobe.h>

void net_print_text(FILE *out, struct bcmon_net *net, const struct bcmon_net_snapshot *snap);
void net_print_json(FILE *out, struct bcmon_net *net, const struct bcmon_net_snapshot *snap);

#endif /* BCMON_CTL_NET_FORMAT_H */
