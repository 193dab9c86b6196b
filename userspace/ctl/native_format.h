/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bcmonctl show: a native histogram's definition and buckets
 * (Documentation/native-histograms.md), for people and for --json.
 */
#ifndef BCMON_CTL_NATIVE_FORMAT_H
#define BCMON_CTL_NATIVE_FORMAT_H

#include <stdio.h>

#include <bcmon/libbcmon.h>

/*
 * A "native" line (schema, zero threshold, zero count) and one line per
 * non-empty bucket with its index and bounds in m's base unit, each
 * indented by pad.
 */
void native_text(FILE *out, const struct bcmon_metric_info *m,
		 const struct bcmon_native_buckets *nb, int pad);
/* ,"native":{schema, zero_threshold, max_buckets, negative}: m's definition. */
void native_def_json(FILE *out, const struct bcmon_metric_info *m);
/* ,"native_buckets":{schema, zero_count, positive:[..], negative:[..]}. */
void native_json(FILE *out, const struct bcmon_native_buckets *nb);

#endif /* BCMON_CTL_NATIVE_FORMAT_H */
