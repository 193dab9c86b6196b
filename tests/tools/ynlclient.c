// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-ynlclient: a second, independent client of the bcmon family, on
 * the C library that the kernel's own ynl-gen-c generates from
 * Documentation/netlink/specs/bcmon.yaml (bcmon-user.[ch], built by
 * scripts/ynl client with the kernel's libynl; nothing of libbcmon).
 * It prints what it reads as canonical lines that
 * tests/vm/ynl/50-ynl-client.sh also derives from `bcmonctl --json`, so
 * that both clients must agree on every field.
 *
 *   version | status | sets | show SET | errors | sensors
 *   create SET | update SET | destroy SET | error CATEGORY SEVERITY MESSAGE
 *   watch COUNT TIMEOUT_S       (events; "watching" on stderr once joined)
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ynl.h>
#include "bcmon-user.h"

static struct ynl_sock *ys;

static int die(const char *what)
{
	fprintf(stderr, "bcmon-ynlclient: %s: %s\n", what, ys->err.msg);
	return 1;
}

/* "-" for an absent value, as the jq side prints for a missing key. */
#define OPT(has, fmt, v) do { if (has) printf(fmt, v); else fputs("-", stdout); } while (0)

static void print_hex(const void *id, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		printf("%02x", ((const unsigned char *)id)[i]);
}

/* " exemplars=BUCKET:VALUE:TRACE:SPAN,..." when the histogram has some. */
static void print_exemplars(const struct bcmon_metric *m)
{
	for (unsigned int i = 0; i < m->_count.exemplar; i++) {
		const struct bcmon_exemplar *e = &m->exemplar[i];

		printf("%s%u:%" PRId64 ":", i ? "," : " exemplars=", e->bucket,
		       (int64_t)e->value);
		print_hex(e->trace_id, e->_len.trace_id);
		putchar(':');
		print_hex(e->span_id, e->_len.span_id);
	}
}

static void print_metric(const char *set, const struct bcmon_metric *m)
{
	printf("metric %s %s kind=%s unit=%s scale=%d help=%s", set, m->name,
	       bcmon_metric_kind_str(m->kind), m->unit ?: "", m->scale,
	       m->help ?: "");
	if (m->kind == BCMON_KIND_COUNTER)
		printf(" value=%" PRIu64, (uint64_t)m->value);
	else if (m->kind == BCMON_KIND_GAUGE)
		printf(" value=%" PRId64, (int64_t)m->value);
	if (m->kind == BCMON_KIND_HISTOGRAM) {
		printf(" count=%" PRIu64 " sum=%" PRId64 " buckets=", (uint64_t)m->count,
		       (int64_t)m->sum);
		for (unsigned int b = 0; b < m->_count.bucket; b++) {
			if (b < m->_count.bound)
				printf("%s%" PRIu64 ":", b ? "," : "", (uint64_t)m->bound[b]);
			else
				printf("%s+Inf:", b ? "," : "");
			printf("%" PRIu64, (uint64_t)m->bucket[b]);
		}
		print_exemplars(m);
	}
	putchar('\n');
}

static void print_set(const struct bcmon_set *s)
{
	printf("set %s owner=%s uid=", s->name,
	       s->_present.owner ? bcmon_origin_str(s->owner) : "-");
	OPT(s->_present.owner_uid, "%u", s->owner_uid);
	putchar('\n');
	for (unsigned int i = 0; i < s->_count.metric; i++)
		print_metric(s->name, &s->metric[i]);
}

static int cmd_version(void)
{
	struct bcmon_get_version_rsp *r = bcmon_get_version(ys);

	if (!r)
		return die("get-version");
	printf("version %s\n", r->version);
	bcmon_get_version_rsp_free(r);
	return 0;
}

static int cmd_status(void)
{
	struct bcmon_get_status_rsp *r = bcmon_get_status(ys);
	const struct bcmon_status *s;

	if (!r)
		return die("get-status");
	s = &r->status;
	printf("status version=%s sets=%u max_sets=%u max_metrics=%u max_buckets=%u"
	       " memory_used=%" PRIu64 " memory_limit=%" PRIu64
	       " error_ring_size=%u errors_recorded=%" PRIu64
	       " sensor_interval_ms=%u writer_gid=", s->version, s->sets,
	       s->max_sets, s->max_metrics, s->max_buckets,
	       (uint64_t)s->mem_used, (uint64_t)s->mem_limit, s->error_ring_size,
	       (uint64_t)s->errors_recorded, s->sensor_interval_ms);
	OPT(s->_present.writer_gid, "%u", s->writer_gid);
	putchar('\n');
	bcmon_get_status_rsp_free(r);
	return 0;
}

static int cmd_sets(void)
{
	struct bcmon_set_get_req_dump *req = bcmon_set_get_req_dump_alloc();
	struct bcmon_set_get_list *l = bcmon_set_get_dump(ys, req);

	bcmon_set_get_req_dump_free(req);
	if (!l)
		return die("set-get dump");
	ynl_dump_foreach(l, it)
		print_set(&it->set);
	bcmon_set_get_list_free(l);
	return 0;
}

static int cmd_show(const char *name)
{
	struct bcmon_set_get_req *req = bcmon_set_get_req_alloc();
	struct bcmon_set_get_rsp *r;

	bcmon_set_get_req_set_set_name(req, name);
	r = bcmon_set_get(ys, req);
	bcmon_set_get_req_free(req);
	if (!r)
		return die("set-get");
	print_set(&r->set);
	bcmon_set_get_rsp_free(r);
	return 0;
}

static void print_error(const char *tag, const struct bcmon_error *e)
{
	printf("%s seq=%" PRIu64 " ts=%" PRIu64 " %s %s origin=%s uid=", tag,
	       (uint64_t)e->seq, (uint64_t)e->timestamp,
	       bcmon_error_category_str(e->category), bcmon_severity_str(e->severity),
	       e->_present.origin ? bcmon_origin_str(e->origin) : "-");
	OPT(e->_present.uid, "%u", e->uid);
	fputs(" pid=", stdout);
	OPT(e->_present.pid, "%u", e->pid);
	printf(" %s\n", e->message);
}

static int cmd_errors(void)
{
	struct bcmon_error_get_list *l = bcmon_error_get_dump(ys);

	if (!l)
		return die("error-get dump");
	ynl_dump_foreach(l, it) {
		if (it->_present.error)
			print_error("error", &it->error);
		for (unsigned int i = 0; i < it->_count.error_total; i++) {
			const struct bcmon_total *t = &it->error_total[i];

			printf("total %s %s %" PRIu64 "\n",
			       bcmon_error_category_str(t->category),
			       bcmon_severity_str(t->severity), (uint64_t)t->count);
		}
	}
	bcmon_error_get_list_free(l);
	return 0;
}

/* " KEY=VALUE", or " KEY=-" when the kernel sent no value. */
static void field(const char *key, int present, long long value)
{
	printf(" %s=", key);
	if (present)
		printf("%lld", value);
	else
		putchar('-');
}

static void print_supply(const char *tag, const struct bcmon_supply *p)
{
	printf("%s %s type=%s", tag, p->name, p->type ?: "-");
	field("online", p->_present.online, p->online);
	printf(" status=%s", p->_present.status ?
	       bcmon_supply_status_str(p->status) : "-");
	field("capacity", p->_present.capacity, p->capacity);
	field("voltage", p->_present.voltage_now, p->voltage_now);
	field("current", p->_present.current_now, p->current_now);
	field("energy_now", p->_present.energy_now, p->energy_now);
	field("energy_full", p->_present.energy_full, p->energy_full);
	field("charge_now", p->_present.charge_now, p->charge_now);
	field("charge_full", p->_present.charge_full, p->charge_full);
	field("temp", p->_present.temp, p->temp);
	putchar('\n');
}

static int cmd_sensors(void)
{
	struct bcmon_sensors_get_list *l = bcmon_sensors_get_dump(ys);

	if (!l)
		return die("sensors-get dump");
	ynl_dump_foreach(l, it) {
		for (unsigned int i = 0; i < it->_count.zone; i++) {
			const struct bcmon_zone *z = &it->zone[i];

			printf("zone %u type=%s temp=", z->id, z->type ?: "-");
			OPT(z->_present.temp, "%d", z->temp);
			putchar('\n');
			for (unsigned int t = 0; t < z->_count.trip; t++)
				printf("trip %u %u type=%s temp=%d hyst=%d\n", z->id,
				       z->trip[t].id, z->trip[t].type ?: "-",
				       z->trip[t].temp, z->trip[t].hyst);
		}
		for (unsigned int i = 0; i < it->_count.cooling; i++) {
			const struct bcmon_cooling *c = &it->cooling[i];

			printf("cooling %u type=%s cur=%u max=%u\n", c->id,
			       c->type ?: "-", c->cur_state, c->max_state);
		}
		for (unsigned int i = 0; i < it->_count.supply; i++)
			print_supply("supply", &it->supply[i]);
		if (it->_present.throttling)
			printf("throttling %u\n", it->throttling);
	}
	bcmon_sensors_get_list_free(l);
	return 0;
}

/* A counter, a gauge with unit, scale and help, a histogram with bounds. */
static int cmd_create(const char *name)
{
	struct bcmon_set_create_req *req = bcmon_set_create_req_alloc();
	struct bcmon_metric *m = bcmon_metric_alloc(3);
	__u64 *bounds = malloc(3 * sizeof(*bounds));
	int err;

	bcmon_set_create_req_set_set_name(req, name);
	bcmon_metric_set_name(&m[0], "msgs");
	bcmon_metric_set_kind(&m[0], BCMON_KIND_COUNTER);
	bcmon_metric_set_name(&m[1], "temp");
	bcmon_metric_set_kind(&m[1], BCMON_KIND_GAUGE);
	bcmon_metric_set_unit(&m[1], "celsius");
	bcmon_metric_set_scale(&m[1], -3);
	bcmon_metric_set_help(&m[1], "a gauge from the ynl client");
	bcmon_metric_set_name(&m[2], "lat");
	bcmon_metric_set_kind(&m[2], BCMON_KIND_HISTOGRAM);
	bcmon_metric_set_unit(&m[2], "seconds");
	bcmon_metric_set_scale(&m[2], -6);
	bounds[0] = 10;
	bounds[1] = 100;
	bounds[2] = 1000;
	__bcmon_metric_set_bound(&m[2], bounds, 3);
	__bcmon_set_create_req_set_metric(req, m, 3);
	err = bcmon_set_create(ys, req);
	bcmon_set_create_req_free(req);
	return err ? die("set-create") : 0;
}

static void update_entry(struct bcmon_update *u, const char *metric,
			 enum bcmon_update_op op, __s64 value)
{
	bcmon_update_set_metric(u, metric);
	bcmon_update_set_op(u, op);
	bcmon_update_set_value(u, value);
}

static int cmd_update(const char *name)
{
	struct bcmon_set_update_req *req = bcmon_set_update_req_alloc();
	struct bcmon_update *u = bcmon_update_alloc(6);
	int err;

	bcmon_set_update_req_set_set_name(req, name);
	update_entry(&u[0], "msgs", BCMON_OP_ADD, 5);
	update_entry(&u[1], "msgs", BCMON_OP_ADD, 37);
	update_entry(&u[2], "temp", BCMON_OP_SET, -7250);
	update_entry(&u[3], "lat", BCMON_OP_OBSERVE, 3);
	update_entry(&u[4], "lat", BCMON_OP_OBSERVE, 250);
	update_entry(&u[5], "lat", BCMON_OP_OBSERVE, 5000);
	/* The +Inf bucket's exemplar (issue 14). */
	bcmon_update_set_exemplar_trace_id(&u[5], "\x4b\xf9\x2f\x35\x77\xb3\x4d\xa6"
					   "\xa3\xce\x92\x9d\x0e\x0e\x47\x36", 16);
	bcmon_update_set_exemplar_span_id(&u[5], "\x00\xf0\x67\xaa\x0b\xa9\x02\xb7", 8);
	__bcmon_set_update_req_set_update(req, u, 6);
	err = bcmon_set_update(ys, req);
	bcmon_set_update_req_free(req);
	return err ? die("set-update") : 0;
}

static int cmd_destroy(const char *name)
{
	struct bcmon_set_destroy_req *req = bcmon_set_destroy_req_alloc();
	int err;

	bcmon_set_destroy_req_set_set_name(req, name);
	err = bcmon_set_destroy(ys, req);
	bcmon_set_destroy_req_free(req);
	return err ? die("set-destroy") : 0;
}

/* enum value of NAME in one of the generated _str tables, or -1. */
static int enum_value(const char *(*str)(int), int max, const char *name)
{
	for (int v = 0; v <= max; v++)
		if (str(v) && !strcmp(str(v), name))
			return v;
	return -1;
}

static const char *cat_str(int v) { return bcmon_error_category_str(v); }
static const char *sev_str(int v) { return bcmon_severity_str(v); }

static int cmd_error(const char *cat, const char *sev, const char *msg)
{
	struct bcmon_error_record_req *req = bcmon_error_record_req_alloc();
	int c = enum_value(cat_str, BCMON_ERR_CAT_MAX, cat);
	int s = enum_value(sev_str, BCMON_SEV_MAX, sev);
	int err;

	if (c < 0 || s < 0) {
		fprintf(stderr, "bcmon-ynlclient: unknown category or severity\n");
		bcmon_error_record_req_free(req);
		return 2;
	}
	bcmon_error_record_req_set_error_category(req, c);
	bcmon_error_record_req_set_error_severity(req, s);
	bcmon_error_record_req_set_error_message(req, msg);
	err = bcmon_error_record(ys, req);
	bcmon_error_record_req_free(req);
	return err ? die("error-record") : 0;
}

static void print_event(const struct bcmon_event_rsp *e)
{
	printf("event %s", bcmon_event_type_str(e->event_type));
	if (e->set_name)
		printf(" set=%s", e->set_name);
	if (e->_present.error)
		printf(" seq=%" PRIu64 " %s %s %s", (uint64_t)e->error.seq,
		       bcmon_error_category_str(e->error.category),
		       bcmon_severity_str(e->error.severity), e->error.message);
	if (e->_count.supply) {
		printf(" supply=%s status=%s capacity=", e->supply[0].name,
		       e->supply[0]._present.status ?
		       bcmon_supply_status_str(e->supply[0].status) : "-");
		OPT(e->supply[0]._present.capacity, "%u", e->supply[0].capacity);
	}
	if (e->_count.zone)
		printf(" zone=%u", e->zone[0].id);
	if (e->_present.event_trip)
		printf(" trip=%u", e->event_trip.id);
	if (e->_present.throttling)
		printf(" throttling=%u", e->throttling);
	putchar('\n');
}

static int cmd_watch(int count, int timeout_s)
{
	time_t end = time(NULL) + timeout_s;
	int seen = 0;

	if (ynl_subscribe(ys, "events"))
		return die("subscribe to events");
	fprintf(stderr, "watching\n");
	while (seen < count && time(NULL) < end) {
		struct pollfd p = { .fd = ynl_socket_get_fd(ys), .events = POLLIN };
		struct ynl_ntf_base_type *ntf;

		if (poll(&p, 1, 200) < 0)
			return die("poll");
		if (ynl_ntf_check(ys) < 0)
			return die("read notifications");
		while ((ntf = ynl_ntf_dequeue(ys))) {
			struct bcmon_event *ev = (struct bcmon_event *)ntf;

			if (ntf->cmd == BCMON_CMD_EVENT && seen < count) {
				print_event(&ev->obj);
				seen++;
			}
			ynl_ntf_free(ntf);
		}
		fflush(stdout);
	}
	return seen == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct ynl_error yerr;
	const char *cmd = argc > 1 ? argv[1] : "";
	int rc = 2;

	ys = ynl_sock_create(&ynl_bcmon_family, &yerr);
	if (!ys) {
		fprintf(stderr, "bcmon-ynlclient: %s\n", yerr.msg);
		return 1;
	}
	if (!strcmp(cmd, "version"))
		rc = cmd_version();
	else if (!strcmp(cmd, "status"))
		rc = cmd_status();
	else if (!strcmp(cmd, "sets"))
		rc = cmd_sets();
	else if (!strcmp(cmd, "show") && argc == 3)
		rc = cmd_show(argv[2]);
	else if (!strcmp(cmd, "errors"))
		rc = cmd_errors();
	else if (!strcmp(cmd, "sensors"))
		rc = cmd_sensors();
	else if (!strcmp(cmd, "create") && argc == 3)
		rc = cmd_create(argv[2]);
	else if (!strcmp(cmd, "update") && argc == 3)
		rc = cmd_update(argv[2]);
	else if (!strcmp(cmd, "destroy") && argc == 3)
		rc = cmd_destroy(argv[2]);
	else if (!strcmp(cmd, "error") && argc == 5)
		rc = cmd_error(argv[2], argv[3], argv[4]);
	else if (!strcmp(cmd, "watch") && argc == 4)
		rc = cmd_watch(atoi(argv[2]), atoi(argv[3]));
	else
		fprintf(stderr, "usage: bcmon-ynlclient version|status|sets|show SET|errors|sensors|"
			"create SET|update SET|destroy SET|error CAT SEV MSG|watch N SECONDS\n");
	ynl_sock_destroy(ys);
	return rc;
}
