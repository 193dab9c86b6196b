// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of a traced function's prototype against the kernel's BTF, made
 * before a program that reads its arguments is loaded: the function must
 * exist as a BTF FUNC (a static function the compiler inlined has none),
 * take a struct sock * first, and have the named parameters the programs
 * read, at positions handed to them in read-only data. A kernel that
 * renames, drops or moves one of them loses that hook, not the others.
 */
#include <string.h>

#include <bpf/btf.h>

#include "internal.h"

const struct btf_type *np_btf_func_proto(const struct btf *btf, const char *func)
{
	int id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);

	t = t ? btf__type_by_id(btf, t->type) : NULL;
	return t && btf_is_func_proto(t) ? t : NULL;
}

int np_btf_param_index(const struct btf *btf, const struct btf_type *proto, const char *name)
{
	const struct btf_param *p = btf_params(proto);

	for (int i = 0; i < btf_vlen(proto); i++) {
		const char *n = btf__name_by_offset(btf, p[i].name_off);

		if (n && !strcmp(n, name))
			return i;
	}
	return -1;
}

bool np_btf_first_param_is_sock(const struct btf *btf, const struct btf_type *proto)
{
	const struct btf_type *t;
	const char *n;

	if (btf_vlen(proto) < 1)
		return false;
	t = btf__type_by_id(btf, btf_params(proto)[0].type);
	if (!t || !btf_is_ptr(t))
		return false;
	t = btf__type_by_id(btf, t->type);
	while (t && (btf_is_const(t) || btf_is_volatile(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	n = t && btf_is_struct(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
	return n && !strcmp(n, "sock");
}
