// SPDX-License-Identifier: GPL-2.0
/*
 * Watched ports: the "ports" map says which slot a port's numbers go to.
 * Changing the set keeps the slot (and so the counts) of every port that
 * stays; a port that leaves frees its slot, which is zeroed before another
 * port gets it, so that a series never inherits another port's counts.
 * A change that fails part way is not rolled back: the ports that had
 * already left stay unwatched, those not yet added are not watched, and the
 * next call with the same set completes it.
 */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "internal.h"

static bool port_listed(uint16_t port, const uint16_t *ports, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

static int slot_of(const struct bcmon_net *net, uint16_t port)
{
	for (int s = 0; s < NP_MAX_PORTS; s++)
		if (net->slot_port[s] == port)
			return s;
	return -1;
}

/* Zero every series of a slot so that its next port starts from nothing. */
static int slot_zero(struct bcmon_net *net, uint32_t slot)
{
	int hfd = bpf_map__fd(net->skel->maps.hists);
	int tfd = bpf_map__fd(net->skel->maps.traffic);
	int err;

	for (uint32_t p = 0; p < NP_NPROTO; p++) {
		for (uint32_t m = 0; m < NP_NMETRIC; m++) {
			err = np_percpu_zero(net, hfd, NP_HIST_KEY(p, m, slot));
			if (err)
				return err;
		}
		err = np_percpu_zero(net, tfd, NP_TRAFFIC_KEY(p, slot));
		if (err)
			return err;
	}
	return 0;
}

static int validate(const uint16_t *ports, unsigned int n)
{
	if (n > NP_MAX_PORTS)
		return -E2BIG;
	for (unsigned int i = 0; i < n; i++) {
		if (!ports[i] || port_listed(ports[i], ports, i))
			return -EINVAL;
	}
	return 0;
}

int np_ports_apply(struct bcmon_net *net, const uint16_t *ports, unsigned int n)
{
	int fd = bpf_map__fd(net->skel->maps.ports);
	int err = validate(ports, n);

	if (err)
		return err;
	/* Ports that leave: stop matching them first, then clear their slot. */
	for (uint32_t s = 0; s < NP_MAX_PORTS; s++) {
		uint16_t port = net->slot_port[s];

		if (!port || port_listed(port, ports, n))
			continue;
		if (bpf_map_delete_elem(fd, &port) && errno != ENOENT)
			return -errno;
		/*
		 * The slot is free only once zeroed: after a failure here it
		 * stays the old port's, and a retry deletes again (ENOENT) and
		 * zeroes again, so no port inherits its counts.
		 */
		err = slot_zero(net, s);
		if (err)
			return err;
		net->slot_port[s] = 0;
	}
	/* Ports that arrive take a free (zeroed) slot. */
	for (unsigned int i = 0; i < n; i++) {
		uint32_t s;

		if (slot_of(net, ports[i]) >= 0)
			continue;
		s = (uint32_t)slot_of(net, 0);	/* validate() bounds n, so one is free */
		if (bpf_map_update_elem(fd, &ports[i], &s, BPF_ANY))
			return -errno;
		net->slot_port[s] = ports[i];
	}
	return 0;
}

int bcmon_net_set_ports(struct bcmon_net *net, const uint16_t *ports, unsigned int nports)
{
	return np_ports_apply(net, ports, nports);
}

unsigned int bcmon_net_get_ports(const struct bcmon_net *net, uint16_t *ports, unsigned int max)
{
	unsigned int n = 0;

	for (int s = 0; s < NP_MAX_PORTS; s++) {
		if (!net->slot_port[s])
			continue;
		if (n < max)
			ports[n] = net->slot_port[s];
		n++;
	}
	return n;
}
