/* SPDX-License-Identifier: GPL-2.0 */
/* HTTP content negotiation for /metrics: format from Accept, gzip from
 * Accept-Encoding (RFC 9110 section 12.5 quality values). */
#ifndef BCMON_EXPORTER_NEGOTIATE_H
#define BCMON_EXPORTER_NEGOTIATE_H

#include <stdbool.h>

#include "expo.h"

/* OpenMetrics 1.0.0 when Accept ranks it above the text format, else text. */
enum expo_format negotiate_format(const char *accept);
/*
 * true when Accept ranks Prometheus' protobuf format (MetricFamily,
 * delimited) above both text formats (or equal and first): the only format
 * that carries native histograms.
 */
bool negotiate_protobuf(const char *accept);
/* true when Accept-Encoding allows gzip (explicitly or through "*"). */
bool negotiate_gzip(const char *accept_encoding);

#endif
