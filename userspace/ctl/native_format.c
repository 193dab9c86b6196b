// SPDX-License-Identifier: GPL-2.0
/*
 * Native buckets for people and scripts. Bounds come from the exporter's
 * expo_native_bound() (linked in, ctl.mk): one formula for both, in the
 * metric's base unit (Prometheus' definition: bucket i of schema s holds
 * B^(i-1) < x <= B^i, B = 2^(2^-s)). A negative bucket i holds the x with
 * -B^i <= x < -B^(i-1).
 */
#include "native_format.h"

#include <inttypes.h>

#include "expo_native.h"

/* The non-empty buckets of one sign, a line each. */
static void buckets_text(FILE *out, int pad, int32_t schema, int32_t offset,
			 const uint64_t *counts, size_t n, int sign)
{
	for (size_t k = 0; k < n; k++) {
		int32_t i = offset + (int32_t)k;
		double lo = expo_native_bound(schema, i - 1), hi = expo_native_bound(schema, i);

		if (!counts[k])
			continue;
		if (sign > 0)
			fprintf(out, "%*s  bucket %" PRId32 " (%.6g, %.6g] %" PRIu64 "\n",
				pad, "", i, lo, hi, counts[k]);
		else
			fprintf(out, "%*s  negative bucket %" PRId32 " [%.6g, %.6g) %" PRIu64 "\n",
				pad, "", i, -hi, -lo, counts[k]);
	}
}

void native_text(FILE *out, const struct bcmon_metric_info *m,
		 const struct bcmon_native_buckets *nb, int pad)
{
	fprintf(out, "%*s  native schema %" PRId32 " (created %" PRId32 ") zero_threshold %"
		PRIu64 " zero_count %" PRIu64 ", bounds in %s\n", pad, "", nb->schema,
		m->native_schema, m->native_zero_threshold, nb->zero_count,
		m->unit[0] ? m->unit : "base units");
	buckets_text(out, pad, nb->schema, nb->positive_offset, nb->positive,
		     nb->n_positive, 1);
	buckets_text(out, pad, nb->schema, nb->negative_offset, nb->negative,
		     nb->n_negative, -1);
}

void native_def_json(FILE *out, const struct bcmon_metric_info *m)
{
	fprintf(out, ",\"native\":{\"schema\":%" PRId32 ",\"zero_threshold\":%" PRIu64
		",\"max_buckets\":%" PRIu32 ",\"negative\":%s}", m->native_schema,
		m->native_zero_threshold, m->native_max_buckets,
		m->native_negative ? "true" : "false");
}

/*
 * The non-empty buckets of one sign: index, bounds of x (exact to the
 * last digit: %.17g) and count.
 */
static void buckets_json(FILE *out, const char *name, int32_t schema, int32_t offset,
			 const uint64_t *counts, size_t n, int sign)
{
	const char *sep = "";

	fprintf(out, ",\"%s\":[", name);
	for (size_t k = 0; k < n; k++) {
		int32_t i = offset + (int32_t)k;
		double lo = expo_native_bound(schema, i - 1), hi = expo_native_bound(schema, i);

		if (!counts[k])
			continue;
		fprintf(out, "%s{\"index\":%" PRId32 ",\"lower_bound\":%.17g,"
			"\"upper_bound\":%.17g,\"count\":%" PRIu64 "}", sep, i,
			sign > 0 ? lo : -hi, sign > 0 ? hi : -lo, counts[k]);
		sep = ",";
	}
	fputc(']', out);
}

void native_json(FILE *out, const struct bcmon_native_buckets *nb)
{
	fprintf(out, ",\"native_buckets\":{\"schema\":%" PRId32 ",\"zero_count\":%" PRIu64,
		nb->schema, nb->zero_count);
	buckets_json(out, "positive", nb->schema, nb->positive_offset, nb->positive,
		     nb->n_positive, 1);
	buckets_json(out, "negative", nb->schema, nb->negative_offset, nb->negative,
		     nb->n_negative, -1);
	fputc('}', out);
}
