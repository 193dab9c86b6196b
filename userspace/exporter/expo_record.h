/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record format shared by the recorder (expo.c) and the renderers
 * (expo_render.c, expo_render_proto.c). Records follow each other in one byte buffer; numbers
 * are in host order and unaligned (read with memcpy).
 *
 *   family:    'F' type:u8 (| EXPO_HELP_PLAIN) name_len:u16 help_len:u32 hash:u32 stem_len:u16
 *              stem_hash:u32 name NUL help (the name's clash keys,
 *              expo_names.h; stem_len 0: no stem)
 *              (help_len EXPO_NO_HELP: no HELP line; name is the base
 *              name, a counter's without "_total")
 *   sample:    'U'|'I'|'D' labels value:8 bytes (u64, i64 or double)
 *   histogram: 'H' labels nbounds:u32 sum:double bounds:double[nbounds]
 *              cumulative:u64[nbounds + 1] exemplars:u8 (0 or 1), and when
 *              1, per bucket: present:u8, and when 1: labels value:double
 *              timestamp:double
 *   native:    'N' right after its histogram's 'H': derived:u8 schema:i32
 *              zero_threshold:double zero_count:u64 npos:u32 nneg:u32, then
 *              npos + nneg times index:i32 count:u64 (non-zero counts,
 *              ascending indices, positive buckets first)
 *   labels:    n:u8, then n times name_len:u8 value_len:u32 name value
 *
 * Everything in a record was validated when it was recorded. A family
 * record may be followed by no sample (every read failed): the renderer
 * then writes nothing for it.
 */
#ifndef BCMON_EXPORTER_EXPO_RECORD_H
#define BCMON_EXPORTER_EXPO_RECORD_H

#include <stdint.h>

#include "expo.h"
#include "expo_names.h"

#define EXPO_NAME_MAX 256
#define EXPO_NO_HELP UINT32_MAX
/* In a family record's type byte: the help has no character that either
 * text format escapes (backslash, newline, double quote). */
#define EXPO_HELP_PLAIN 0x80
#define EXPO_MAX_LABELS 32

enum {
	REC_FAMILY = 'F',
	REC_U64 = 'U',
	REC_I64 = 'I',
	REC_DOUBLE = 'D',
	REC_HISTOGRAM = 'H',
	REC_NATIVE = 'N',
};

/* Bytes of an 'N' record after its tag, from its start. */
size_t expo_native_record_len(const char *p);
/* A family record's fields, read by both renderers. */
struct expo_family_rec {
	enum expo_type type;
	const char *name;	/* NUL-terminated at name_len */
	uint16_t name_len;
	uint32_t help_len;	/* EXPO_NO_HELP: none */
	const char *help;
	bool help_plain;	/* nothing in help to escape */
	struct name_clash clash;
};

/* Read the family record after its tag at p; returns its end. */
const char *expo_family_record_read(const char *p, struct expo_family_rec *f);
/* Does a recording before parts[k] have (or clash with) this family? */
bool expo_render_earlier_has(const struct expo_writer *const *parts, size_t k,
			     const struct name_clash *clash);
/* The protobuf renderer (expo_render_proto.c), for expo_render(). */
int expo_render_proto(const struct expo_writer *const *parts, size_t nparts,
		      struct strbuf *out, expo_sink_fn sink, void *sink_arg,
		      struct expo_render_stats *stats);

struct expo_writer {
	struct strbuf rec;
	struct name_set names;	/* families of this recording, base names */
	size_t series;
	bool failed;
	/* the family being written (its 'F' record is out) */
	bool have_family;
	enum expo_type type;
};

#endif
