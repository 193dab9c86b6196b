// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon-errtest: raw-netlink checks of the error-event and sensor commands
 * (ERROR_RECORD, ERROR_GET, SENSORS_GET) for tests/vm/tests/2*-*.sh.
 *
 *   badinput    every malformed request, each answered with the expected
 *               errno and extack text; prints one line per case
 *   flood N     N gaming/warning records ("flood 1".."flood N") from one
 *               socket as fast as the answers come (a writer's flood,
 *               against the per-uid rate limit, however slow the guest is
 *               at starting processes); prints "admitted A refused R
 *               elapsed_ms T" and the extack of the first refusal
 *   totals      the error totals as GET_STATUS carries them and as the
 *               ERROR_GET dump ends with them: equal, all of them; prints
 *               "totals T recorded R" (T pairs, R their sum)
 *
 * Exit status 0 when everything behaved, 1 otherwise, 2 on usage errors.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/bcmon.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlraw.h"

static struct nlraw nl;

/* A valid ERROR nest with the given parts; -1 leaves that part out. */
static void put_error(struct nlmsgbuf *m, int cat, int sev, const char *msg)
{
	size_t nest = msg_nest_start(m, BCMON_A_ERROR);

	if (cat >= 0)
		msg_put_u8(m, BCMON_ERROR_A_CATEGORY, (uint8_t)cat);
	if (sev >= 0)
		msg_put_u8(m, BCMON_ERROR_A_SEVERITY, (uint8_t)sev);
	if (msg)
		msg_put_str(m, BCMON_ERROR_A_MESSAGE, msg);
	msg_nest_end(m, nest);
}

static void b_record_no_nest(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
}

static void b_record_no_category(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	put_error(m, -1, BCMON_SEV_ERROR, "x");
}

static void b_record_no_severity(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	put_error(m, BCMON_ERR_CAT_NETWORK, -1, "x");
}

static void b_record_no_message(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	put_error(m, BCMON_ERR_CAT_NETWORK, BCMON_SEV_ERROR, NULL);
}

static void b_record_bad_category(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	put_error(m, BCMON_ERR_CAT_MAX + 1, BCMON_SEV_ERROR, "x");
}

static void b_record_bad_severity(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	put_error(m, BCMON_ERR_CAT_NETWORK, BCMON_SEV_MAX + 1, "x");
}

static void b_record_wide_category(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	nest = msg_nest_start(m, BCMON_A_ERROR);
	msg_put_u32(m, BCMON_ERROR_A_CATEGORY, 1);
	msg_put_u8(m, BCMON_ERROR_A_SEVERITY, BCMON_SEV_ERROR);
	msg_put_str(m, BCMON_ERROR_A_MESSAGE, "x");
	msg_nest_end(m, nest);
}

static void b_record_long_message(struct nlmsgbuf *m)
{
	char msg[BCMON_ERROR_MSG_MAX + 1];

	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	put_error(m, BCMON_ERR_CAT_NETWORK, BCMON_SEV_ERROR, msg);
}

static void b_record_unterminated(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	nest = msg_nest_start(m, BCMON_A_ERROR);
	msg_put_u8(m, BCMON_ERROR_A_CATEGORY, BCMON_ERR_CAT_NETWORK);
	msg_put_u8(m, BCMON_ERROR_A_SEVERITY, BCMON_SEV_ERROR);
	msg_put(m, BCMON_ERROR_A_MESSAGE, "abc", 3);
	msg_nest_end(m, nest);
}

static void b_record_empty_message(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	put_error(m, BCMON_ERR_CAT_NETWORK, BCMON_SEV_ERROR, "");
}

static void b_record_with_seq(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	nest = msg_nest_start(m, BCMON_A_ERROR);
	msg_put_u64(m, BCMON_ERROR_A_SEQ, 99);
	msg_put_u8(m, BCMON_ERROR_A_CATEGORY, BCMON_ERR_CAT_NETWORK);
	msg_put_u8(m, BCMON_ERROR_A_SEVERITY, BCMON_SEV_ERROR);
	msg_put_str(m, BCMON_ERROR_A_MESSAGE, "x");
	msg_nest_end(m, nest);
}

/* A writer claiming the kernel as the origin (the kernel's to assign). */
static void b_record_forged_origin(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	nest = msg_nest_start(m, BCMON_A_ERROR);
	msg_put_u8(m, BCMON_ERROR_A_CATEGORY, BCMON_ERR_CAT_NETWORK);
	msg_put_u8(m, BCMON_ERROR_A_SEVERITY, BCMON_SEV_ERROR);
	msg_put_str(m, BCMON_ERROR_A_MESSAGE, "x");
	msg_put_u8(m, BCMON_ERROR_A_ORIGIN, BCMON_ORIGIN_KERNEL);
	msg_nest_end(m, nest);
}

static void b_record_unknown_nested(struct nlmsgbuf *m)
{
	size_t nest;

	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	nest = msg_nest_start(m, BCMON_A_ERROR);
	msg_put_u8(m, BCMON_ERROR_A_CATEGORY, BCMON_ERR_CAT_NETWORK);
	msg_put_u8(m, BCMON_ERROR_A_SEVERITY, BCMON_SEV_ERROR);
	msg_put_str(m, BCMON_ERROR_A_MESSAGE, "x");
	msg_put_u32(m, BCMON_ERROR_A_MAX + 3, 1);
	msg_nest_end(m, nest);
}

static void b_record_unknown_top(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	put_error(m, BCMON_ERR_CAT_NETWORK, BCMON_SEV_ERROR, "x");
	msg_put_u32(m, BCMON_A_MAX + 5, 1);
}

static void b_record_other_top(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	msg_put_str(m, BCMON_A_SET_NAME, "s");
	put_error(m, BCMON_ERR_CAT_NETWORK, BCMON_SEV_ERROR, "x");
}

static void b_record_not_nested(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, 0);
	msg_put_u32(m, BCMON_A_ERROR, 1);
}

static void b_record_as_dump(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_RECORD, NLM_F_DUMP);
	put_error(m, BCMON_ERR_CAT_NETWORK, BCMON_SEV_ERROR, "x");
}

static void b_errors_with_attr(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_GET, NLM_F_DUMP);
	msg_put_str(m, BCMON_A_VERSION, "x");
}

static void b_errors_unknown_attr(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_GET, NLM_F_DUMP);
	msg_put_u32(m, BCMON_A_MAX + 1, 1);
}

static void b_errors_as_do(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_ERROR_GET, 0);
}

static void b_sensors_with_attr(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SENSORS_GET, NLM_F_DUMP);
	msg_put_u8(m, BCMON_A_THROTTLING, 1);
}

static void b_sensors_as_do(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_SENSORS_GET, 0);
}

static void b_event_cmd(struct nlmsgbuf *m)
{
	msg_init(m, &nl, BCMON_CMD_EVENT, 0);
}

struct bad_case {
	const char *what;
	int expect;		/* negative errno */
	const char *extack;	/* part of the expected message; NULL: none
				 * (the genetlink core refuses before us) */
	void (*build)(struct nlmsgbuf *m);
};

static const struct bad_case bad_cases[] = {
	{ "record without ERROR nest",	-EINVAL, "missing error event", b_record_no_nest },
	{ "record without category",	-EINVAL, "without a category", b_record_no_category },
	{ "record without severity",	-EINVAL, "without a severity", b_record_no_severity },
	{ "record without message",	-EINVAL, "without a message", b_record_no_message },
	{ "category out of range",	-ERANGE, "out of range", b_record_bad_category },
	{ "severity out of range",	-ERANGE, "out of range", b_record_bad_severity },
	{ "category as u32",		-EINVAL, "invalid attribute length", b_record_wide_category },
	{ "message too long",		-EINVAL, "policy validation", b_record_long_message },
	{ "message not terminated",	-EINVAL, "policy validation", b_record_unterminated },
	{ "empty message",		-EINVAL, "error message is empty", b_record_empty_message },
	{ "record with a seq",		-EINVAL, "Unsupported attribute", b_record_with_seq },
	{ "record with a forged origin",	-EINVAL, "Unsupported attribute", b_record_forged_origin },
	{ "unknown nested attribute",	-EINVAL, "Unknown attribute type", b_record_unknown_nested },
	{ "unknown top attribute",	-EINVAL, "Unknown attribute type", b_record_unknown_top },
	{ "another command's attribute", -EINVAL, "Unsupported attribute", b_record_other_top },
	{ "ERROR not a nest",		-EINVAL, "NLA_F_NESTED", b_record_not_nested },
	{ "record as a dump",		-EOPNOTSUPP, NULL, b_record_as_dump },
	{ "error dump with attribute",	-EINVAL, "Unsupported attribute", b_errors_with_attr },
	{ "error dump unknown attribute", -EINVAL, "Unknown attribute type", b_errors_unknown_attr },
	{ "error get without dump",	-EOPNOTSUPP, NULL, b_errors_as_do },
	{ "sensors dump with attribute", -EINVAL, "Unknown attribute type", b_sensors_with_attr },
	{ "sensors get without dump",	-EOPNOTSUPP, NULL, b_sensors_as_do },
	{ "EVENT is not a request",	-EOPNOTSUPP, NULL, b_event_cmd },
};

static int run_badinput(void)
{
	int failed = 0;

	if (nlraw_open(&nl)) {
		fprintf(stderr, "bcmon-errtest: cannot reach the bcmon family\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct nlmsgbuf m;
		struct nlanswer a;
		int err, ok;

		c->build(&m);
		err = nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
		if (err)
			a.error = err;
		ok = !a.timed_out && a.error == c->expect &&
		     (!c->extack || strstr(a.extack, c->extack));
		printf("%s %-30s errno %-11s extack \"%s\"\n", ok ? "ok  " : "FAIL",
		       c->what, a.error ? strerrorname_np(-a.error) : "0", a.extack);
		if (!ok) {
			printf("     expected %s%s%s%s\n", strerrorname_np(-c->expect),
			       c->extack ? " with extack \"" : "",
			       c->extack ? c->extack : "", c->extack ? "...\"" : "");
			failed++;
		}
	}
	nlraw_close(&nl);
	printf("%d failed\n", failed);
	return failed ? 1 : 0;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Exit 0 when every record was either admitted or refused with -EBUSY. */
static int run_flood(unsigned int n)
{
	unsigned int admitted = 0, refused = 0, other = 0;
	char first_refusal[256] = "";
	long long start;

	if (nlraw_open(&nl)) {
		fprintf(stderr, "bcmon-errtest: cannot reach the bcmon family\n");
		return 1;
	}
	start = now_ms();
	for (unsigned int i = 1; i <= n; i++) {
		struct nlmsgbuf m;
		struct nlanswer a;
		char msg[32];
		int err;

		snprintf(msg, sizeof(msg), "flood %u", i);
		msg_init(&m, &nl, BCMON_CMD_ERROR_RECORD, 0);
		put_error(&m, BCMON_ERR_CAT_GAMING, BCMON_SEV_WARNING, msg);
		err = nlraw_exchange(&nl, &m, &a);
		msg_free(&m);
		if (err)
			a.error = err;
		if (!a.timed_out && a.error == 0) {
			admitted++;
		} else if (!a.timed_out && a.error == -EBUSY) {
			if (!refused++)
				snprintf(first_refusal, sizeof(first_refusal), "%s", a.extack);
		} else {
			other++;
			printf("record %u: errno %s extack \"%s\"%s\n", i,
			       a.error ? strerrorname_np(-a.error) : "0", a.extack,
			       a.timed_out ? " (timed out)" : "");
		}
	}
	printf("admitted %u refused %u elapsed_ms %lld\n", admitted, refused, now_ms() - start);
	if (refused)
		printf("refusal \"%s\"\n", first_refusal);
	nlraw_close(&nl);
	return other ? 1 : 0;
}

typedef uint64_t totals_t[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX];

/* BCMON_TOTAL_A_* nests of type attr in [start, start + len) into t; pairs found. */
static int read_totals(const void *start, size_t len, int attr, totals_t t)
{
	int n = 0;

	nlraw_for_each_attr(a, start, len) {
		int c = -1, s = -1;
		uint64_t v = 0;
		bool have_v = false;

		if (NLRAW_TYPE(a) != attr)
			continue;
		nlraw_for_each_attr(f, NLRAW_DATA(a), NLRAW_LEN(a)) {
			if (NLRAW_TYPE(f) == BCMON_TOTAL_A_CATEGORY && NLRAW_LEN(f) >= 1)
				c = *(uint8_t *)NLRAW_DATA(f);
			else if (NLRAW_TYPE(f) == BCMON_TOTAL_A_SEVERITY && NLRAW_LEN(f) >= 1)
				s = *(uint8_t *)NLRAW_DATA(f);
			else if (NLRAW_TYPE(f) == BCMON_TOTAL_A_COUNT && NLRAW_LEN(f) >= 8) {
				memcpy(&v, NLRAW_DATA(f), 8);
				have_v = true;
			}
		}
		if (c < 0 || c >= __BCMON_ERR_CAT_MAX || s < 0 || s >= __BCMON_SEV_MAX || !have_v)
			return -1;
		t[c][s] = v;
		n++;
	}
	return n;
}

struct totals_read {
	totals_t t;
	int pairs;
	uint64_t recorded;
	bool have_recorded;
};

static void on_status(const struct nlmsghdr *nlh, void *arg)
{
	struct totals_read *r = arg;
	const char *p = (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	nlraw_for_each_attr(a, p, len) {
		if (NLRAW_TYPE(a) != BCMON_A_STATUS)
			continue;
		r->pairs = read_totals(NLRAW_DATA(a), NLRAW_LEN(a), BCMON_STATUS_A_ERROR_TOTAL, r->t);
		nlraw_for_each_attr(f, NLRAW_DATA(a), NLRAW_LEN(a))
			if (NLRAW_TYPE(f) == BCMON_STATUS_A_ERRORS_RECORDED && NLRAW_LEN(f) >= 8) {
				memcpy(&r->recorded, NLRAW_DATA(f), 8);
				r->have_recorded = true;
			}
	}
}

static void on_dump(const struct nlmsghdr *nlh, void *arg)
{
	struct totals_read *r = arg;
	const char *p = (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	int n = read_totals(p, len, BCMON_A_ERROR_TOTAL, r->t);

	if (n)
		r->pairs = n;
}

static int run_totals(void)
{
	struct totals_read st = { .pairs = 0 }, dump = { .pairs = 0 };
	struct nlmsgbuf m;
	struct nlanswer a;
	uint64_t sum = 0;
	int err;

	if (nlraw_open(&nl)) {
		fprintf(stderr, "no bcmon family\n");
		return 1;
	}
	nl.on_part = on_status;
	nl.on_part_arg = &st;
	msg_init(&m, &nl, BCMON_CMD_GET_STATUS, 0);
	err = nlraw_exchange(&nl, &m, &a);
	msg_free(&m);
	if (err || a.error) {
		fprintf(stderr, "status: %s\n", strerror(-(err ?: a.error)));
		return 1;
	}
	nl.on_part = on_dump;
	nl.on_part_arg = &dump;
	msg_init(&m, &nl, BCMON_CMD_ERROR_GET, NLM_F_DUMP);
	err = nlraw_exchange(&nl, &m, &a);
	msg_free(&m);
	nlraw_close(&nl);
	if (err || a.error) {
		fprintf(stderr, "dump: %s\n", strerror(-(err ?: a.error)));
		return 1;
	}
	printf("totals %d recorded %llu\n", st.pairs, (unsigned long long)st.recorded);
	if (st.pairs != __BCMON_ERR_CAT_MAX * __BCMON_SEV_MAX || dump.pairs != st.pairs) {
		fprintf(stderr, "status has %d totals, the dump %d\n", st.pairs, dump.pairs);
		return 1;
	}
	for (int c = 0; c < __BCMON_ERR_CAT_MAX; c++)
		for (int s = 0; s < __BCMON_SEV_MAX; s++) {
			sum += st.t[c][s];
			if (st.t[c][s] != dump.t[c][s]) {
				fprintf(stderr, "total %d/%d: status %llu, dump %llu\n", c, s,
					(unsigned long long)st.t[c][s],
					(unsigned long long)dump.t[c][s]);
				return 1;
			}
		}
	if (!st.have_recorded || sum != st.recorded) {
		fprintf(stderr, "errors-recorded %llu, the totals add up to %llu\n",
			(unsigned long long)st.recorded, (unsigned long long)sum);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "totals"))
		return run_totals();
	if (argc == 2 && !strcmp(argv[1], "badinput"))
		return run_badinput();
	if (argc == 3 && !strcmp(argv[1], "flood")) {
		char *end;
		unsigned long n = strtoul(argv[2], &end, 10);

		if (*argv[2] && !*end && n > 0 && n <= 100000)
			return run_flood((unsigned int)n);
	}
	fprintf(stderr, "Usage: bcmon-errtest badinput | flood N (1..100000) | totals\n");
	return 2;
}
