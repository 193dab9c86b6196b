/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus protobuf exposition format: a stream of
 * io.prometheus.client.MetricFamily messages (userspace/exporter/
 * metrics.proto), each preceded by its length as a varint, encoded with
 * libprotobuf-c. The only format that carries native histograms.
 *
 * Families are built one at a time: expo_proto_family() starts one,
 * the sample calls add metrics to it, expo_proto_flush() appends it to an
 * output buffer (a family without metrics writes nothing). Values were
 * validated by the caller (the exposition writer); this checks only what
 * is particular to protobuf.
 *
 * Names: counters are sent under their full name with "_total", as
 * client_golang does (Prometheus uses a protobuf family's name as the
 * counter's series name); histograms under their base name.
 */
#ifndef BCMON_EXPORTER_EXPO_PROTO_H
#define BCMON_EXPORTER_EXPO_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "expo.h"
#include "expo_native.h"
#include "strbuf.h"

#define EXPO_PROTO_CONTENT_TYPE \
	"application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

struct expo_proto;

struct expo_proto *expo_proto_new(void);
void expo_proto_free(struct expo_proto *p);

/* Start a family (name as it is sent); the previous one must be flushed. */
int expo_proto_family(struct expo_proto *p, const char *name,
		      enum expo_type type, const char *help);
/* A counter, gauge or untyped value. */
int expo_proto_value(struct expo_proto *p, const struct expo_label *labels,
		     size_t nlabels, double value);
/*
 * A histogram: count and sum from classic, its classic buckets when
 * with_classic (cumulative, without "+Inf", which protobuf leaves
 * implicit), its native buckets when native is not NULL.
 */
int expo_proto_histogram(struct expo_proto *p, const struct expo_label *labels,
			 size_t nlabels, const struct expo_histogram *classic,
			 bool with_classic, const struct expo_native *native);
/*
 * The same with exemplars: classic->nbounds + 1 pointers, each bucket's
 * exemplar or NULL (validated by the writer), or NULL for none. With
 * classic buckets, each exemplar goes on the bucket it falls in, as
 * client_golang sends them; the "+Inf" bucket is then sent explicitly
 * when it has one. Without them (a native-only histogram) they go in
 * Histogram.exemplars (field 16), the timestamped ones only: those
 * without a timestamp Prometheus drops for native histograms, and the
 * schema requires one there.
 */
int expo_proto_histogram_exemplars(struct expo_proto *p, const struct expo_label *labels,
				   size_t nlabels, const struct expo_histogram *classic,
				   bool with_classic, const struct expo_native *native,
				   const struct expo_exemplar *const *exemplars);
/* Append the family, length-delimited, to out and forget it. 0 or -ENOMEM. */
int expo_proto_flush(struct expo_proto *p, struct strbuf *out);

#endif
