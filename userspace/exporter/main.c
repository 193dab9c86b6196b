// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-exporter: Prometheus exporter for bcmon. The main thread owns the
 * configuration and the signals (SIGHUP reloads, SIGTERM/SIGINT stop); the
 * HTTP thread scrapes; the sampler thread measures CPU usage.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "config.h"
#include "flags.h"
#include "http.h"
#include "log.h"
#include "registry.h"
#include "sampler.h"
#include "webconfig.h"

#define EXIT_CONFIG 2

struct app {
	pthread_mutex_t lock;	/* held for a scrape and for a reload swap */
	struct exporter_config *cfg;
};

static int app_metrics(void *arg, enum expo_format fmt, struct strbuf *body,
		       expo_sink_fn sink, void *sink_arg)
{
	struct app *app = arg;
	struct expo_writer *w;
	int err;

	w = expo_new(fmt, body);
	if (!w)
		return -ENOMEM;
	if (sink)
		expo_set_sink(w, sink, sink_arg);
	pthread_mutex_lock(&app->lock);
	err = registry_scrape(app->cfg, w);
	pthread_mutex_unlock(&app->lock);
	if (!err)
		err = expo_finish(w);
	expo_free(w);
	/* Give back what the scrape (the writer's name set, the collectors'
	 * reads) left free in the heap: resident memory is a figure we are
	 * judged by. */
	malloc_trim(0);
	return err;
}

static enum health_severity app_health(void *arg, struct strbuf *body)
{
	struct app *app = arg;
	struct health_facts facts = { 0 };
	struct health_report r;

	pthread_mutex_lock(&app->lock);
	health_check(app->cfg, &facts, &r);
	pthread_mutex_unlock(&app->lock);
	health_report_json(&r, body);
	return r.status;
}

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

static void reload(struct app *app, const char *path)
{
	struct exporter_config *cfg, *old;

	if (!path) {
		log_info("SIGHUP: no --config.file, nothing to reload");
		return;
	}
	if (load_config(path, &cfg)) {
		log_error("reload failed, keeping the previous configuration");
		return;
	}
	pthread_mutex_lock(&app->lock);
	old = app->cfg;
	app->cfg = cfg;
	pthread_mutex_unlock(&app->lock);
	sampler_watch(cfg->pid_file);
	config_free(old);
	log_info("configuration reloaded from %s", path);
}

int main(int argc, char **argv)
{
	struct app app = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct http_server *srv = NULL;
	struct web_config *web = NULL;
	struct http_options hopts;
	struct options opts;
	sigset_t sigs;
	int status = EXIT_FAILURE, sig;

	/*
	 * One malloc arena for the few threads (none allocates in a hot path),
	 * and buffers above 128 KiB (scrape output, set dumps) mapped on their
	 * own so that freeing them returns the memory at once; glibc's default
	 * would raise that threshold after the first big scrape and keep the
	 * heap at its high-water mark.
	 */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
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
	if (load_config(opts.config_file, &app.cfg))
		return EXIT_CONFIG;
	if (opts.web_config_file) {
		char err[512];

		if (webconfig_load(opts.web_config_file, &web, err, sizeof(err))) {
			log_error("bad web configuration: %s", err);
			config_free(app.cfg);
			return EXIT_CONFIG;
		}
	}

	/* Every thread started from here on inherits the blocked set, so the
	 * signals reach only sigwait() below. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_info("starting bcmon-exporter version=%s namespace=%s", BCMON_VERSION,
		 app.cfg->namespace_);
	registry_init(app.cfg);
	if (sampler_start())
		log_warn("CPU sampler not started: CPU usage ratios will be missing");
	sampler_watch(app.cfg->pid_file);

	hopts = (struct http_options){
		.listen = opts.listen_address,
		.telemetry_path = opts.telemetry_path,
		.max_connections = opts.max_connections,
		.max_connections_per_ip = opts.max_connections_per_ip,
		.timeout_seconds = opts.timeout_seconds,
		.memory_limit = opts.max_header_bytes,
		.web = web,
	};
	if (http_start(&hopts, &(struct http_app){ app_metrics, app_health, &app }, &srv))
		goto out;
	log_info("serving telemetry_path=%s tls=%s basic_auth=%s", opts.telemetry_path,
		 web && web->cert_pem ? "true" : "false",
		 web && web->nusers ? "true" : "false");

	for (;;) {
		sig = sigwaitinfo(&sigs, NULL);
		if (sig < 0)
			continue;	/* EINTR from a debugger or stop signal */
		if (sig == SIGHUP) {
			reload(&app, opts.config_file);
			continue;
		}
		log_info("received %s, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
	status = EXIT_SUCCESS;
out:
	http_stop(srv);
	sampler_stop();
	registry_fini();
	webconfig_free(web);
	config_free(app.cfg);
	return status;
}
