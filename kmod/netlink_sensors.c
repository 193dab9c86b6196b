// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon netlink: BCMON_CMD_SENSORS_GET, a resumable dump of one snapshot:
 * one message per thermal zone (with its trips), per cooling device and per
 * power supply, then one message with BCMON_A_THROTTLING. The dump holds a
 * reference to the snapshot it started with, so every part of it describes
 * the same moment however many messages it takes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <linux/bcmon.h>

#include "bcmon_internal.h"
#include "sensors.h"

int bcmon_nl_put_trip(struct sk_buff *skb, int attr, u32 id,
		      const struct bcmon_trip_snap *t)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, BCMON_TRIP_A_ID, id) ||
	    (t->has_temp && nla_put_s32(skb, BCMON_TRIP_A_TEMP, t->temp)) ||
	    (t->has_type && nla_put_string(skb, BCMON_TRIP_A_TYPE, t->type)) ||
	    (t->has_hyst && nla_put_s32(skb, BCMON_TRIP_A_HYST, t->hyst))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int bcmon_nl_put_zone(struct sk_buff *skb, const struct bcmon_zone_snap *z,
		      bool with_trips)
{
	struct nlattr *nest = nla_nest_start(skb, BCMON_A_ZONE);
	u32 i;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, BCMON_ZONE_A_ID, z->id) ||
	    (z->has_type && nla_put_string(skb, BCMON_ZONE_A_TYPE, z->type)) ||
	    (z->has_temp && nla_put_s32(skb, BCMON_ZONE_A_TEMP, z->temp)))
		goto err_cancel;
	for (i = 0; with_trips && i < z->n_trips; i++)
		if (bcmon_nl_put_trip(skb, BCMON_ZONE_A_TRIP, i, &z->trips[i]))
			goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int bcmon_nl_put_cooling(struct sk_buff *skb,
			 const struct bcmon_cooling_snap *c)
{
	struct nlattr *nest = nla_nest_start(skb, BCMON_A_COOLING);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, BCMON_COOLING_A_ID, c->id) ||
	    (c->has_type && nla_put_string(skb, BCMON_COOLING_A_TYPE, c->type)) ||
	    (c->has_cur && nla_put_u32(skb, BCMON_COOLING_A_CUR_STATE, c->cur_state)) ||
	    (c->has_max && nla_put_u32(skb, BCMON_COOLING_A_MAX_STATE, c->max_state))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int bcmon_nl_put_supply(struct sk_buff *skb,
			const struct bcmon_supply_snap *p)
{
	struct nlattr *nest = nla_nest_start(skb, BCMON_A_SUPPLY);

	if (!nest)
		return -EMSGSIZE;
#define PUT(attr, put, val)						\
	(BCMON_SUPPLY_HAS(p, attr) && put(skb, attr, val))
	if (PUT(BCMON_SUPPLY_A_NAME, nla_put_string, p->name) ||
	    PUT(BCMON_SUPPLY_A_TYPE, nla_put_string, p->type) ||
	    PUT(BCMON_SUPPLY_A_ONLINE, nla_put_u8, p->online) ||
	    PUT(BCMON_SUPPLY_A_STATUS, nla_put_u8, p->status) ||
	    PUT(BCMON_SUPPLY_A_CAPACITY, nla_put_u8, p->capacity) ||
	    PUT(BCMON_SUPPLY_A_VOLTAGE_NOW, nla_put_s32, p->voltage_now) ||
	    PUT(BCMON_SUPPLY_A_CURRENT_NOW, nla_put_s32, p->current_now) ||
	    PUT(BCMON_SUPPLY_A_ENERGY_NOW, nla_put_s32, p->energy_now) ||
	    PUT(BCMON_SUPPLY_A_ENERGY_FULL, nla_put_s32, p->energy_full) ||
	    PUT(BCMON_SUPPLY_A_CHARGE_NOW, nla_put_s32, p->charge_now) ||
	    PUT(BCMON_SUPPLY_A_CHARGE_FULL, nla_put_s32, p->charge_full) ||
	    PUT(BCMON_SUPPLY_A_TEMP, nla_put_s32, p->temp)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
#undef PUT
	nla_nest_end(skb, nest);
	return 0;
}

/* Dump cursor in cb->ctx: the snapshot (a held reference) and a position. */
enum sensors_section {
	SECTION_ZONES,
	SECTION_COOLING,
	SECTION_SUPPLIES,
	SECTION_THROTTLING,
	SECTION_DONE,
};

struct sensors_dump_ctx {
	struct bcmon_sensors *snap;
	u32 section;
	u32 idx;
};

int bcmon_nl_sensors_get_start(struct netlink_callback *cb)
{
	struct sensors_dump_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	ctx->snap = bcmon_sensors_get();
	if (!ctx->snap) {
		NL_SET_ERR_MSG(cb->extack, "no sensor snapshot yet");
		return -EAGAIN;
	}
	ctx->section = SECTION_ZONES;
	ctx->idx = 0;
	return 0;
}

int bcmon_nl_sensors_get_done(struct netlink_callback *cb)
{
	struct sensors_dump_ctx *ctx = (void *)cb->ctx;

	bcmon_sensors_put(ctx->snap);
	ctx->snap = NULL;
	return 0;
}

/* Put item idx of the current section as one message; -ENOENT past the end. */
static int put_item(struct sk_buff *skb, const struct bcmon_sensors *s,
		    u32 section, u32 idx)
{
	switch (section) {
	case SECTION_ZONES:
		if (idx >= s->n_zones)
			return -ENOENT;
		return bcmon_nl_put_zone(skb, &s->zones[idx], true);
	case SECTION_COOLING:
		if (idx >= s->n_cooling)
			return -ENOENT;
		return bcmon_nl_put_cooling(skb, &s->cooling[idx]);
	case SECTION_SUPPLIES:
		if (idx >= s->n_supplies)
			return -ENOENT;
		return bcmon_nl_put_supply(skb, &s->supplies[idx]);
	case SECTION_THROTTLING:
		if (idx >= 1)
			return -ENOENT;
		return nla_put_u8(skb, BCMON_A_THROTTLING, s->throttling);
	}
	return -ENOENT;
}

int bcmon_nl_sensors_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct sensors_dump_ctx *ctx = (void *)cb->ctx;
	void *hdr;
	int err;

	while (ctx->section < SECTION_DONE) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, bcmon_nl_family(),
				  NLM_F_MULTI, BCMON_CMD_SENSORS_GET);
		if (!hdr)
			break;
		err = put_item(skb, ctx->snap, ctx->section, ctx->idx);
		if (err == -ENOENT) {
			genlmsg_cancel(skb, hdr);
			ctx->section++;
			ctx->idx = 0;
			continue;
		}
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		ctx->idx++;
	}
	/* An item that fits no empty message would loop forever: give up. */
	if (ctx->section < SECTION_DONE && !skb->len)
		return -EMSGSIZE;
	/* Complete: NLMSG_DONE goes into this buffer when it fits. */
	return ctx->section < SECTION_DONE ? skb->len : 0;
}

/* --- events ------------------------------------------------------------------ */

static void nl_announce_supply(u8 type, const struct bcmon_supply_snap *p)
{
	struct sk_buff *msg;
	void *hdr;

	msg = bcmon_nl_event_new(type, BCMON_NL_SUPPLY_SIZE, GFP_KERNEL, &hdr);
	if (!msg)
		return;
	if (bcmon_nl_put_supply(msg, p)) {
		nlmsg_free(msg);
		return;
	}
	bcmon_nl_event_send(msg, hdr, GFP_KERNEL);
}

static void nl_announce_trip(u8 type, const struct bcmon_zone_snap *z, u32 trip)
{
	struct sk_buff *msg;
	void *hdr;

	msg = bcmon_nl_event_new(type, BCMON_NL_ZONE_SIZE + BCMON_NL_TRIP_SIZE,
				 GFP_KERNEL, &hdr);
	if (!msg)
		return;
	if (bcmon_nl_put_zone(msg, z, false) ||
	    bcmon_nl_put_trip(msg, BCMON_A_EVENT_TRIP, trip, &z->trips[trip])) {
		nlmsg_free(msg);
		return;
	}
	bcmon_nl_event_send(msg, hdr, GFP_KERNEL);
}

static void nl_announce_throttling(bool on)
{
	struct sk_buff *msg;
	void *hdr;

	msg = bcmon_nl_event_new(on ? BCMON_EVENT_THROTTLE_START :
				      BCMON_EVENT_THROTTLE_STOP,
				 nla_total_size(sizeof(u8)), GFP_KERNEL, &hdr);
	if (!msg)
		return;
	if (nla_put_u8(msg, BCMON_A_THROTTLING, on)) {
		nlmsg_free(msg);
		return;
	}
	bcmon_nl_event_send(msg, hdr, GFP_KERNEL);
}

static const struct bcmon_sensors_announcer nl_sensors_announcer = {
	.supply		= nl_announce_supply,
	.trip		= nl_announce_trip,
	.throttling	= nl_announce_throttling,
};

/* --- GET_STATUS fields ----------------------------------------------------- */

static int sensors_status_fill(struct sk_buff *skb)
{
	return nla_put_u32(skb, BCMON_STATUS_A_SENSOR_INTERVAL_MS,
			   bcmon_sensors_interval_ms());
}

static const struct bcmon_status_provider sensors_status_fields = {
	.fill_nl	= sensors_status_fill,
};

/*
 * The netlink side of the sensors: status fields now, announcements of
 * changes from the first snapshot taken after bcmon_sensors_start().
 */
void bcmon_nl_sensors_init(void)
{
	bcmon_status_register(&sensors_status_fields);
	bcmon_sensors_set_announcer(&nl_sensors_announcer);
}

void bcmon_nl_sensors_exit(void)
{
	bcmon_sensors_set_announcer(NULL);
}
