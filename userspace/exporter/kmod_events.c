// SPDX-License-Identifier: GPL-2.0
/*
 * kmod, events: a background subscriber to the module's "events" group
 * counts notifications by type; scrapes export the counts. The thread
 * waits with a timeout so that it notices a stop request, and subscribes
 * again when the module goes away (libbcmon reports the family's removal,
 * which ends the membership even when the module is loaded again at once),
 * when asked, or after an error; while the module is absent it looks for
 * it every RETRY_MS.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <bcmon/libbcmon.h>

#include "kmod.h"
#include "log.h"

#define EVENTS_WAIT_MS 250
#define RETRY_MS 250

static pthread_t thread;
static bool running;
static atomic_bool stopping, resubscribe, subscribed;
static bool told_eperm;
static atomic_uint_fast64_t counts[__BCMON_EVENT_MAX];
static atomic_uint_fast64_t lost;

static void *events_main(void *arg)
{
	struct bcmon_events *ev = NULL;
	struct bcmon_event e;

	(void)arg;
	while (!atomic_load(&stopping)) {
		struct timespec retry = { 0, RETRY_MS * 1000 * 1000 };
		int err;

		if (ev && atomic_exchange(&resubscribe, false)) {
			bcmon_events_close(ev);
			ev = NULL;
		}
		if (!ev) {
			err = bcmon_events_open(&ev);
			atomic_store(&subscribed, err == 0);
			/* Expected under the shipped unit: say it once. */
			if (err == -EPERM && !told_eperm) {
				log_info("not subscribed to the module's events group (needs CAP_NET_ADMIN): module_events_total is not exported");
				told_eperm = true;
			}
			if (err) {
				ev = NULL;
				/* Module absent: look again in a moment (a
				 * resolve is one netlink round trip). */
				if (!atomic_load(&stopping))
					nanosleep(&retry, NULL);
				atomic_store(&resubscribe, false);
				continue;
			}
			log_debug("subscribed to the module's events group");
		}
		err = bcmon_events_next(ev, &e, EVENTS_WAIT_MS);
		if (!err && e.type < __BCMON_EVENT_MAX)
			atomic_fetch_add(&counts[e.type], 1);
		else if (err == -ENOBUFS)
			atomic_fetch_add(&lost, 1);
		else if (err && err != -ETIMEDOUT && err != -EINTR) {
			log_debug("events: %s, subscribing again",
				  err == -ENOENT ? "the module was unloaded" : strerror(-err));
			bcmon_events_close(ev);
			ev = NULL;
			atomic_store(&subscribed, false);
		}
	}
	bcmon_events_close(ev);
	return NULL;
}

int kmod_events_start(void)
{
	int err;

	atomic_store(&stopping, false);
	err = pthread_create(&thread, NULL, events_main, NULL);
	if (err)
		return -err;
	pthread_setname_np(thread, "kmod-events");
	running = true;
	return 0;
}

void kmod_events_stop(void)
{
	if (!running)
		return;
	atomic_store(&stopping, true);
	pthread_join(thread, NULL);
	running = false;
}

void kmod_events_resubscribe(void)
{
	atomic_store(&resubscribe, true);
}

int kmod_write_events(struct scrape_ctx *ctx, struct expo_writer *w, struct bcmon *bc)
{
	int err;

	(void)bc;
	/* Counts exist only while subscribed: otherwise they would be a
	 * made-up 0 for events that may well have happened. */
	if (!running || !atomic_load(&subscribed))
		return 0;
	err = ctx_family(ctx, w, "module_events_total", EXPO_COUNTER,
			 "Notifications received from the module's events group since the exporter started, by type.");
	for (unsigned int t = 1; !err && t < __BCMON_EVENT_MAX; t++) {
		struct expo_label l = { "type", bcmon_event_type_name(t) };

		err = expo_sample_u64(w, &l, 1, atomic_load(&counts[t]));
	}
	if (!err)
		err = ctx_family(ctx, w, "module_events_lost_total", EXPO_COUNTER,
				 "Times events were lost because the exporter read too slowly.");
	if (!err)
		err = expo_sample_u64(w, NULL, 0, atomic_load(&lost));
	return err;
}
