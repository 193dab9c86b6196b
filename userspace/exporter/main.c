// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-exporter: Prometheus exporter for bcmon. The main thread owns the
 * configuration and the signals (SIGHUP reloads, SIGTERM/SIGINT stop) and
 * looks for changed web configuration files once a second; the listener
 * thread serves HTTP (http.h); the engine's threads run the collectors
 * (engine.h); the sampler thread measures CPU usage.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "flags.h"
#include "http.h"
#include "log.h"
#include "registry.h"
#include "sampler.h"

#define EXIT_CONFIG 2
/* SIGTERM to exit, at most: the grace given to runs in progress first. */
#define STOP_GRACE_MS 700
#define SAMPLER_GRACE_MS 300

static int load_config(const char *path, struct exporter_config **out)
{
	char err[512];
	int ret;

	if (!path) {
		*out = config_default();
		return *out ? 0 : -ENOMEM;
	}
	ret = config_load_file(path, out, err, sizeof(err));
	if (ret)
		log_error("bad configuration: %s", err);
	return ret;
}

static void reload(const char *path, struct http_server *srv)
{
	struct exporter_config *cfg;

	http_reload_web_config(srv, 1);
	if (!path) {
		log_info("SIGHUP: no --config.file, nothing to reload");
		return;
	}
	if (load_config(path, &cfg)) {
		log_error("reload failed, keeping the previous configuration");
		return;
	}
	sampler_watch(cfg->pid_file);
	engine_set_config(cfg);		/* the engine owns it now */
	log_info("configuration reloaded from %s", path);
}

/* Stop everything; threads stuck in the kernel cannot be joined, and
 * then the process exits without the cleanup they could still race. */
static int shutdown_all(struct http_server *srv, int status)
{
	unsigned int abandoned;
	bool sampler_done;

	http_quiesce(srv);
	abandoned = engine_stop(STOP_GRACE_MS);
	http_stop(srv);
	sampler_done = sampler_stop(SAMPLER_GRACE_MS);
	if (abandoned || !sampler_done) {
		log_warn("exiting with threads still blocked (abandoned)");
		fflush(NULL);
		_exit(status);
	}
	registry_fini(0);
	return status;
}

int main(int argc, char **argv)
{
	struct exporter_config *cfg;
	struct http_server *srv = NULL;
	struct http_options hopts;
	struct options opts;
	struct timespec tick = { 1, 0 };
	sigset_t sigs;
	int err, sig;

	/*
	 * One malloc arena for the few threads (none allocates in a hot path).
	 * A scrape's big buffers (recordings, the rendered answer) come from
	 * the heap and free() never trims it: scrapes that follow each other
	 * reuse the same pages, where buffers mapped on their own cost every
	 * scrape a page fault and a zeroed page per 4 KiB (recording and
	 * rendering 10,000 series took a third less time without them, 2.3
	 * ms instead of 3.5 on the development host). The memory goes
	 * back to the system all the same: the loop below calls malloc_trim()
	 * once a second, which also returns free pages inside the heap.
	 */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	flags_defaults(&opts);
	switch (flags_parse(argc, argv, &opts)) {
	case FLAGS_EXIT_OK:
		return EXIT_SUCCESS;
	case FLAGS_USAGE_ERROR:
		return EXIT_CONFIG;
	case FLAGS_RUN:
		break;
	}
	log_set_level((enum log_level)opts.log_level);
	if (load_config(opts.config_file, &cfg))
		return EXIT_CONFIG;

	/* Every thread started from here on inherits the blocked set, so the
	 * signals reach only sigtimedwait() below. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_info("starting bcmon-exporter version=%s namespace=%s", BCMON_VERSION,
		 cfg->namespace_);
	registry_init(cfg);
	if (sampler_start())
		log_warn("CPU sampler not started: CPU usage ratios will be missing");
	sampler_watch(cfg->pid_file);
	err = engine_start(cfg);
	if (err) {
		log_error("cannot start the collectors: %s", strerror(-err));
		return EXIT_FAILURE;
	}

	hopts = (struct http_options){
		.listen = opts.listen_address,
		.telemetry_path = opts.telemetry_path,
		.max_connections = opts.max_connections,
		.max_connections_per_ip = opts.max_connections_per_ip,
		.timeout_seconds = opts.timeout_seconds,
		.memory_limit = opts.max_header_bytes,
		.max_requests = opts.max_requests,
		.scrape_timeout = opts.scrape_timeout,
		.scrape_timeout_offset = opts.scrape_timeout_offset,
		.web_config_file = opts.web_config_file,
	};
	err = http_start(&hopts, &srv);
	if (err)
		return shutdown_all(NULL, err == -EINVAL ? EXIT_CONFIG : EXIT_FAILURE);
	log_info("serving telemetry_path=%s max_requests=%u", opts.telemetry_path,
		 opts.max_requests);

	for (;;) {
		sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig < 0) {
			/*
			 * A second without signals: have the web config files
			 * changed? And hand back what connections that closed
			 * left free in the heap (libmicrohttpd's per-connection
			 * pools): after a flood, resident memory must come down.
			 */
			if (errno == EAGAIN) {
				http_reload_web_config(srv, 0);
				malloc_trim(0);
			}
			continue;
		}
		if (sig == SIGHUP) {
			reload(opts.config_file, srv);
			continue;
		}
		log_info("received %s, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
	return shutdown_all(srv, EXIT_SUCCESS);
}
