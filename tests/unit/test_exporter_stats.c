// SPDX-License-Identifier: GPL-2.0
/* Chi-square test, bucket unit conversion and /proc parsers. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buckets.h"
#include "chisq.h"
#include "procfs.h"
#include "setnames.h"

#define near(a, b, eps) assert_true(fabs((a) - (b)) < (eps))

/* Reference values: scipy.stats.chi2.sf (and tables). */
static void survival_function(void **state)
{
	(void)state;
	near(chisq_survival(3.841458820694124, 1), 0.05, 1e-12);
	/* df 1: erfc(sqrt(x/2)) */
	near(chisq_survival(4, 1), erfc(sqrt(2)), 1e-14);
	near(chisq_survival(18.307038053275146, 10), 0.05, 1e-12);
	near(chisq_survival(23.209251158954356, 10), 0.01, 1e-12);
	near(chisq_survival(2, 2), exp(-1), 1e-14);	/* df 2: e^(-x/2) */
	near(chisq_survival(0.5, 4), 0.9735009788392561, 1e-12);
	near(chisq_survival(100, 10), 5.4497019829205295e-17, 1e-27);
	assert_true(chisq_survival(0, 3) == 1.0);
	assert_true(isnan(chisq_survival(1, 0)));
}

static void fair_and_loaded_dice(void **state)
{
	static const double p[11] = { 1 / 36., 2 / 36., 3 / 36., 4 / 36., 5 / 36., 6 / 36.,
				      5 / 36., 4 / 36., 3 / 36., 2 / 36., 1 / 36. };
	uint64_t exact[11], loaded[11] = { 0 };
	struct chisq_result r;

	(void)state;
	for (int i = 0; i < 11; i++)
		exact[i] = (uint64_t)llround(p[i] * 36000);
	assert_int_equal(chisq_test(exact, p, 11, &r), 0);
	near(r.statistic, 0, 1e-9);
	assert_int_equal(r.df, 10);
	assert_int_equal(r.observations, 36000);
	near(r.p_value, 1, 1e-12);

	loaded[5] = 1000;	/* only sevens */
	assert_int_equal(chisq_test(loaded, p, 11, &r), 0);
	/* sum over others of E = 1000 * 30/36, plus (1000 - 1000/6)^2 / (1000/6) */
	near(r.statistic, 1000 * 30 / 36. + pow(1000 - 1000 / 6., 2) / (1000 / 6.), 1e-9);
	assert_true(r.p_value < 1e-100);
}

static void coin_example(void **state)
{
	static const double p[2] = { 0.5, 0.5 };
	static const uint64_t o[2] = { 60, 40 };
	struct chisq_result r;

	(void)state;
	assert_int_equal(chisq_test(o, p, 2, &r), 0);
	near(r.statistic, 4.0, 1e-12);
	assert_int_equal(r.df, 1);
	near(r.p_value, erfc(sqrt(2)), 1e-13);
}

static void nothing_to_test(void **state)
{
	static const double p[2] = { 0.5, 0.5 };
	static const uint64_t zero[2] = { 0, 0 };
	struct chisq_result r;

	(void)state;
	assert_int_equal(chisq_test(zero, p, 2, &r), -EDOM);
	assert_int_equal(chisq_test(zero, p, 1, &r), -EDOM);
}

static void scale_conversion(void **state)
{
	static const uint64_t us[] = { 1, 1500, 250000, 1000000 };
	static const uint64_t bad[] = { 5, 5 };
	double out[4];

	(void)state;
	/* microseconds (scale -6) to seconds, exactly as written in decimal */
	assert_int_equal(buckets_scaled(us, 4, -6, out), 0);
	assert_true(out[0] == 1e-6);
	assert_true(out[1] == 0.0015);
	assert_true(out[2] == 0.25);
	assert_true(out[3] == 1.0);
	/* milliseconds */
	assert_int_equal(buckets_scaled(us, 2, -3, out), 0);
	assert_true(out[0] == 0.001 && out[1] == 1.5);
	/* kilobytes to bytes */
	assert_int_equal(buckets_scaled(us, 2, 3, out), 0);
	assert_true(out[0] == 1000 && out[1] == 1500000);
	assert_true(scale_to_base(7, 0) == 7);
	assert_int_equal(buckets_scaled(bad, 2, 0, out), -EINVAL);
}

static void proc_stat(void **state)
{
	const char *text = "cpu  100 5 50 800 40 3 2 0 7 0\ncpu0 1 2 3 4\nintr 1\n";
	struct cpu_times t;

	(void)state;
	assert_int_equal(procfs_parse_stat(text, &t), 0);
	assert_int_equal(t.total, 1000);	/* guest (7) is inside user already */
	assert_int_equal(t.busy, 160);
	assert_int_equal(procfs_parse_stat("intr 1\n", &t), -EINVAL);
}

static void pid_stat_with_hostile_comm(void **state)
{
	/* A command name may contain spaces and parentheses. */
	const char *text = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
			   "250 50 0 0 20 0 3 0 123456 10000000 777 18446744073709551615\n";
	struct pid_stat ps;

	(void)state;
	assert_int_equal(procfs_parse_pid_stat(text, &ps), 0);
	assert_int_equal(ps.cpu_ticks, 300);
	assert_int_equal(ps.start_ticks, 123456);
	assert_int_equal(ps.rss_pages, 777);
	assert_int_equal(procfs_parse_pid_stat("4242 (x S 1", &ps), -EINVAL);
	/* Cut before rss, or a field that is not a number: refused. */
	assert_int_equal(procfs_parse_pid_stat("4242 (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
					       "250 50 0 0 20 0 3 0 123456 10000000\n", &ps),
			 -EINVAL);
	assert_int_equal(procfs_parse_pid_stat("4242 (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
					       "250 -50 0 0 20 0 3 0 123456 10000000 777\n", &ps),
			 -EINVAL);
	assert_int_equal(procfs_parse_pid_stat("4242 (x)", &ps), -EINVAL);
}

static void meminfo(void **state)
{
	const char *text = "MemTotal:        2048 kB\nMemFree:  10 kB\n"
			   "MemAvailable:    1024 kB\n";
	uint64_t total, avail;

	(void)state;
	assert_int_equal(procfs_parse_meminfo(text, &total, &avail), 0);
	assert_int_equal(total, 2048 * 1024);
	assert_int_equal(avail, 1024 * 1024);
	assert_int_equal(procfs_parse_meminfo("MemTotal: 1 kB\n", &total, &avail), -EINVAL);
}

static void set_metric_names(void **state)
{
	char out[256];

	(void)state;
	set_metric_suffix("gaming", "bets_total", "", true, out, sizeof(out));
	assert_string_equal(out, "gaming_bets");
	set_metric_suffix("gaming", "bets", NULL, true, out, sizeof(out));
	assert_string_equal(out, "gaming_bets");
	set_metric_suffix("consensus", "latency", "seconds", false, out, sizeof(out));
	assert_string_equal(out, "consensus_latency_seconds");
	set_metric_suffix("consensus", "latency_seconds", "seconds", false, out, sizeof(out));
	assert_string_equal(out, "consensus_latency_seconds");
	set_metric_suffix("net", "sent_bytes_total", "bytes", true, out, sizeof(out));
	assert_string_equal(out, "net_sent_bytes");
	/* "total" alone is a name, not a suffix; "xseconds" is not "_seconds". */
	set_metric_suffix("s", "total", "", true, out, sizeof(out));
	assert_string_equal(out, "s_total");
	set_metric_suffix("s", "xseconds", "seconds", false, out, sizeof(out));
	assert_string_equal(out, "s_xseconds_seconds");
	set_metric_suffix("gaming", "house_edge", "ratio", false, out, sizeof(out));
	assert_string_equal(out, "gaming_house_edge_ratio");
}

/* The exporter's namespace: first words, not prefixes. */
static void reserved_first_words(void **state)
{
	(void)state;
	assert_true(first_word_reserved("health"));
	assert_true(first_word_reserved("health_status"));
	assert_true(first_word_reserved("scrape_collector_success"));
	assert_true(first_word_reserved("network"));
	assert_true(first_word_reserved("module_sets"));
	assert_true(first_word_reserved("thermal_zone_temperature_celsius"));
	assert_false(first_word_reserved("healthy"));
	assert_false(first_word_reserved("heal"));
	assert_false(first_word_reserved("gaming"));
	assert_false(first_word_reserved("dice_rolls"));
	assert_false(first_word_reserved("kernel_bench"));
	assert_false(first_word_reserved(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(survival_function),
		cmocka_unit_test(reserved_first_words),
		cmocka_unit_test(fair_and_loaded_dice),
		cmocka_unit_test(coin_example),
		cmocka_unit_test(nothing_to_test),
		cmocka_unit_test(scale_conversion),
		cmocka_unit_test(proc_stat),
		cmocka_unit_test(pid_stat_with_hostile_comm),
		cmocka_unit_test(meminfo),
		cmocka_unit_test(set_metric_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
