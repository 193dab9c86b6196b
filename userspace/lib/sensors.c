// SPDX-License-Identifier: LGPL-2.1
/* BCMON_CMD_SENSORS_GET: thermal zones, cooling devices, power supplies. */
#include <bcmon/libbcmon.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bcmon.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "client.h"
#include "request.h"

const char *bcmon_supply_status_name(unsigned int status)
{
	static const char *const names[] = {
		[BCMON_SUPPLY_STATUS_UNKNOWN]		= "Unknown",
		[BCMON_SUPPLY_STATUS_CHARGING]		= "Charging",
		[BCMON_SUPPLY_STATUS_DISCHARGING]	= "Discharging",
		[BCMON_SUPPLY_STATUS_NOT_CHARGING]	= "Not charging",
		[BCMON_SUPPLY_STATUS_FULL]		= "Full",
	};

	return status < sizeof(names) / sizeof(names[0]) ? names[status] : "Unknown";
}

int bcmon_trip_parse(struct nlattr *nest, struct bcmon_trip *t)
{
	struct nlattr *tb[BCMON_TRIP_A_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (nla_parse_nested(tb, BCMON_TRIP_A_MAX, nest, NULL) < 0 ||
	    !tb[BCMON_TRIP_A_ID])
		return -EPROTO;
	t->id = nla_get_u32(tb[BCMON_TRIP_A_ID]);
	if ((t->has_temp = tb[BCMON_TRIP_A_TEMP]))
		t->temp = (int32_t)nla_get_u32(tb[BCMON_TRIP_A_TEMP]);
	if ((t->has_hyst = tb[BCMON_TRIP_A_HYST]))
		t->hyst = (int32_t)nla_get_u32(tb[BCMON_TRIP_A_HYST]);
	if ((t->has_type = tb[BCMON_TRIP_A_TYPE]))
		nla_strlcpy(t->type, tb[BCMON_TRIP_A_TYPE], sizeof(t->type));
	return 0;
}

int bcmon_zone_parse(struct nlattr *nest, struct bcmon_zone *z)
{
	struct nlattr *tb[BCMON_ZONE_A_MAX + 1];
	struct nlattr *attr;
	int rem;

	memset(z, 0, sizeof(*z));
	if (nla_parse_nested(tb, BCMON_ZONE_A_MAX, nest, NULL) < 0 ||
	    !tb[BCMON_ZONE_A_ID])
		return -EPROTO;
	z->id = nla_get_u32(tb[BCMON_ZONE_A_ID]);
	if ((z->has_type = tb[BCMON_ZONE_A_TYPE]))
		nla_strlcpy(z->type, tb[BCMON_ZONE_A_TYPE], sizeof(z->type));
	if ((z->has_temp = tb[BCMON_ZONE_A_TEMP]))
		z->temp = (int32_t)nla_get_u32(tb[BCMON_ZONE_A_TEMP]);
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != BCMON_ZONE_A_TRIP || z->n_trips == BCMON_TRIPS_MAX)
			continue;
		if (bcmon_trip_parse(attr, &z->trips[z->n_trips]))
			return -EPROTO;
		z->n_trips++;
	}
	return 0;
}

int bcmon_cooling_parse(struct nlattr *nest, struct bcmon_cooling *c)
{
	struct nlattr *tb[BCMON_COOLING_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (nla_parse_nested(tb, BCMON_COOLING_A_MAX, nest, NULL) < 0 ||
	    !tb[BCMON_COOLING_A_ID])
		return -EPROTO;
	c->id = nla_get_u32(tb[BCMON_COOLING_A_ID]);
	if ((c->has_type = tb[BCMON_COOLING_A_TYPE]))
		nla_strlcpy(c->type, tb[BCMON_COOLING_A_TYPE], sizeof(c->type));
	if ((c->has_cur = tb[BCMON_COOLING_A_CUR_STATE]))
		c->cur_state = nla_get_u32(tb[BCMON_COOLING_A_CUR_STATE]);
	if ((c->has_max = tb[BCMON_COOLING_A_MAX_STATE]))
		c->max_state = nla_get_u32(tb[BCMON_COOLING_A_MAX_STATE]);
	return 0;
}

int bcmon_supply_parse(struct nlattr *nest, struct bcmon_supply *s)
{
	struct nlattr *tb[BCMON_SUPPLY_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (nla_parse_nested(tb, BCMON_SUPPLY_A_MAX, nest, NULL) < 0 ||
	    !tb[BCMON_SUPPLY_A_NAME])
		return -EPROTO;
	for (int a = 1; a <= BCMON_SUPPLY_A_MAX && a < 32; a++)
		if (tb[a])
			s->present |= 1u << a;
	nla_strlcpy(s->name, tb[BCMON_SUPPLY_A_NAME], sizeof(s->name));
	if (tb[BCMON_SUPPLY_A_TYPE])
		nla_strlcpy(s->type, tb[BCMON_SUPPLY_A_TYPE], sizeof(s->type));
#define U8(a, f)  do { if (tb[a]) s->f = nla_get_u8(tb[a]); } while (0)
#define S32(a, f) do { if (tb[a]) s->f = (int32_t)nla_get_u32(tb[a]); } while (0)
	U8(BCMON_SUPPLY_A_ONLINE, online);
	U8(BCMON_SUPPLY_A_STATUS, status);
	U8(BCMON_SUPPLY_A_CAPACITY, capacity);
	S32(BCMON_SUPPLY_A_VOLTAGE_NOW, voltage_now);
	S32(BCMON_SUPPLY_A_CURRENT_NOW, current_now);
	S32(BCMON_SUPPLY_A_ENERGY_NOW, energy_now);
	S32(BCMON_SUPPLY_A_ENERGY_FULL, energy_full);
	S32(BCMON_SUPPLY_A_CHARGE_NOW, charge_now);
	S32(BCMON_SUPPLY_A_CHARGE_FULL, charge_full);
	S32(BCMON_SUPPLY_A_TEMP, temp);
#undef U8
#undef S32
	return 0;
}

/* Append one element to a growing array; NULL on allocation failure. */
static void *grow(void **arr, size_t *n, size_t size)
{
	void *p = realloc(*arr, (*n + 1) * size);

	if (!p)
		return NULL;
	*arr = p;
	return (char *)p + (*n)++ * size;
}

struct sensors_reply {
	struct bcmon_sensors *s;
	int err;
};

static int parse_sensors(struct nlmsghdr *nlh, void *arg)
{
	struct sensors_reply *r = arg;
	struct bcmon_sensors *s = r->s;
	struct nlattr *attr;
	void *slot;
	int rem, err;

	nlmsg_for_each_attr(attr, nlh, GENL_HDRLEN, rem) {
		err = 0;
		switch (nla_type(attr)) {
		case BCMON_A_ZONE:
			slot = grow((void **)&s->zones, &s->n_zones, sizeof(*s->zones));
			err = slot ? bcmon_zone_parse(attr, slot) : -ENOMEM;
			break;
		case BCMON_A_COOLING:
			slot = grow((void **)&s->cooling, &s->n_cooling, sizeof(*s->cooling));
			err = slot ? bcmon_cooling_parse(attr, slot) : -ENOMEM;
			break;
		case BCMON_A_SUPPLY:
			slot = grow((void **)&s->supplies, &s->n_supplies, sizeof(*s->supplies));
			err = slot ? bcmon_supply_parse(attr, slot) : -ENOMEM;
			break;
		case BCMON_A_THROTTLING:
			s->throttling = nla_get_u8(attr);
			s->has_throttling = true;
			break;
		}
		if (err && !r->err)
			r->err = err;
	}
	return NL_OK;
}

int bcmon_sensors_get(struct bcmon *bc, struct bcmon_sensors *out)
{
	struct sensors_reply r = { .s = out };
	struct nl_msg *req;
	int err;

	memset(out, 0, sizeof(*out));
	req = bcmon_msg_new_size(bc, BCMON_CMD_SENSORS_GET, NLM_F_DUMP, BCMON_SMALL_REQUEST);
	if (!req)
		return -ENOMEM;
	err = bcmon_exchange(bc, req, parse_sensors, &r);
	if (!err)
		err = r.err;
	if (!err && !out->has_throttling)
		err = -EPROTO;	/* the closing message never came */
	if (err == -EPROTO || err == -ENOMEM)
		snprintf(bc->err, sizeof(bc->err), "%s", strerror(-err));
	if (err)
		bcmon_sensors_free(out);
	return err;
}

void bcmon_sensors_free(struct bcmon_sensors *s)
{
	free(s->zones);
	free(s->cooling);
	free(s->supplies);
	memset(s, 0, sizeof(*s));
}
