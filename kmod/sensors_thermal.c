// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon thermal readings: every thermal zone and cooling device, read
 * through the thermal class's sysfs ABI (/sys/class/thermal, documented as
 * stable in Documentation/ABI/testing/sysfs-class-thermal).
 *
 * Why sysfs and not the thermal core's structures: 6.1 exports neither a
 * zone iterator nor the thermal class (thermal_class is static in
 * thermal_core.c; 6.12 allocates it privately), and 6.12 makes struct
 * thermal_zone_device opaque. thermal_zone_get_zone_by_name() needs a type
 * we do not know, fails when two zones share one, and returns a pointer
 * without a reference. The sysfs attributes are the one interface that
 * lists every zone and cooling device on both kernels; each read runs the
 * same core function (thermal_zone_get_temp(), ->get_cur_state()) under a
 * kernfs active reference, which keeps the device alive for the duration of
 * the read and fails cleanly once it is unregistered. This is the pattern
 * the firmware loader uses for /lib/firmware (kernel_read_file_from_path_initns):
 * every path is resolved from PID 1's root, never from the root of
 * whoever runs the snapshot. That matters: the first snapshot runs in module
 * init, i.e. in insmod's context, which may be a chroot or a private mount
 * namespace with a fake sys/class/thermal in it. See Documentation/sensors.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kernel.h>
#include <linux/path.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "compat.h"
#include "sensors.h"

#define THERMAL_DIR	"/sys/class/thermal"

/*
 * Where paths are resolved: PID 1's root (bcmon_get_init_root: init_fs
 * up to the kernels where PID 1 got an fs_struct of its own) and its
 * mount namespace, whatever the calling task's root and namespace are.
 */
struct thermal_reader {
	struct path root;
	char path[PATH_MAX];
};

static void reader_init(struct thermal_reader *r)
{
	bcmon_get_init_root(&r->root);	/* compat.h: which fs_struct that is */
}

static void reader_exit(struct thermal_reader *r)
{
	path_put(&r->root);
}

static struct file *reader_open(struct thermal_reader *r, int flags)
{
	return file_open_root(&r->root, r->path, flags, 0);
}

/* Read the small sysfs attribute r->path names into buf, newline stripped. */
static int read_attr(struct thermal_reader *r, char *buf, size_t len)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = reader_open(r, O_RDONLY);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, len - 1, &pos);
	filp_close(f, NULL);
	if (n < 0)
		return n;
	if (n == 0)
		return -ENODATA;
	buf[n] = '\0';
	strim(buf);
	return 0;
}

static int read_attr_s32(struct thermal_reader *r, s32 *val)
{
	char buf[32];
	int err = read_attr(r, buf, sizeof(buf));

	return err ? err : kstrtos32(buf, 10, val);
}

static int read_attr_u32(struct thermal_reader *r, u32 *val)
{
	char buf[32];
	int err = read_attr(r, buf, sizeof(buf));

	return err ? err : kstrtou32(buf, 10, val);
}

/* Directory listing: the ids of thermal_zone<N> and cooling_device<N>. */
struct thermal_listing {
	struct dir_context ctx;
	u32 zones[BCMON_ZONES_MAX];
	u32 cooling[BCMON_COOLING_MAX];
	u32 n_zones, n_cooling;
	bool truncated;
};

static bool add_id(const char *name, int namlen, const char *prefix,
		   u32 *ids, u32 *n, u32 max, bool *truncated)
{
	size_t plen = strlen(prefix);
	char num[12];
	u32 id;

	if (namlen <= plen || namlen - plen >= sizeof(num) ||
	    strncmp(name, prefix, plen))
		return false;
	memcpy(num, name + plen, namlen - plen);
	num[namlen - plen] = '\0';
	if (kstrtou32(num, 10, &id))
		return false;
	if (*n < max)
		ids[(*n)++] = id;
	else
		*truncated = true;
	return true;
}

static bool list_actor(struct dir_context *ctx, const char *name, int namlen,
		       loff_t offset, u64 ino, unsigned int d_type)
{
	struct thermal_listing *l = container_of(ctx, struct thermal_listing, ctx);

	if (!add_id(name, namlen, "thermal_zone", l->zones, &l->n_zones,
		    BCMON_ZONES_MAX, &l->truncated))
		add_id(name, namlen, "cooling_device", l->cooling,
		       &l->n_cooling, BCMON_COOLING_MAX, &l->truncated);
	return true;	/* keep going */
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int list_thermal(struct thermal_reader *r, struct thermal_listing *l)
{
	struct file *dir;
	int err;

	l->ctx.actor = list_actor;
	strscpy(r->path, THERMAL_DIR, sizeof(r->path));
	dir = reader_open(r, O_RDONLY | O_DIRECTORY);
	if (IS_ERR(dir))
		return PTR_ERR(dir);	/* no thermal class: nothing to read */
	err = iterate_dir(dir, &l->ctx);
	filp_close(dir, NULL);
	if (err)
		return err;
	sort(l->zones, l->n_zones, sizeof(u32), cmp_u32, NULL);
	sort(l->cooling, l->n_cooling, sizeof(u32), cmp_u32, NULL);
	if (l->truncated)
		pr_warn_once("more thermal devices than bcmon reports (%u zones, %u cooling)\n",
			     BCMON_ZONES_MAX, BCMON_COOLING_MAX);
	return 0;
}

/* Point r->path at THERMAL_DIR/<fmt...>. */
static __printf(2, 3) void reader_path(struct thermal_reader *r,
				       const char *fmt, ...)
{
	size_t n = strscpy(r->path, THERMAL_DIR "/", sizeof(r->path));
	va_list args;

	va_start(args, fmt);
	vsnprintf(r->path + n, sizeof(r->path) - n, fmt, args);
	va_end(args);
}

static void read_zone(struct thermal_reader *r, struct bcmon_zone_snap *z)
{
	struct bcmon_trip_snap *t;
	u32 i;

	reader_path(r, "thermal_zone%u/type", z->id);
	z->has_type = !read_attr(r, z->type, sizeof(z->type));
	reader_path(r, "thermal_zone%u/temp", z->id);
	z->has_temp = !read_attr_s32(r, &z->temp);

	/* Trips are numbered from 0 without gaps; the first missing one ends. */
	for (i = 0; i < BCMON_TRIPS_MAX; i++) {
		t = &z->trips[i];
		reader_path(r, "thermal_zone%u/trip_point_%u_type", z->id, i);
		t->has_type = !read_attr(r, t->type, sizeof(t->type));
		if (!t->has_type)
			break;
		reader_path(r, "thermal_zone%u/trip_point_%u_temp", z->id, i);
		t->has_temp = !read_attr_s32(r, &t->temp);
		reader_path(r, "thermal_zone%u/trip_point_%u_hyst", z->id, i);
		t->has_hyst = !read_attr_s32(r, &t->hyst);
	}
	z->n_trips = i;
}

static void read_cooling(struct thermal_reader *r, struct bcmon_cooling_snap *c)
{
	reader_path(r, "cooling_device%u/type", c->id);
	c->has_type = !read_attr(r, c->type, sizeof(c->type));
	reader_path(r, "cooling_device%u/cur_state", c->id);
	c->has_cur = !read_attr_u32(r, &c->cur_state);
	reader_path(r, "cooling_device%u/max_state", c->id);
	c->has_max = !read_attr_u32(r, &c->max_state);
}

int bcmon_sensors_read_thermal(struct bcmon_sensors *s)
{
	struct thermal_listing *l;
	struct thermal_reader *r;
	u32 i;
	int err;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	r = kmalloc(sizeof(*r), GFP_KERNEL);
	if (!l || !r) {
		kfree(r);
		kfree(l);
		return -ENOMEM;
	}
	reader_init(r);
	err = list_thermal(r, l);
	if (err == -ENOENT) {
		err = 0;	/* kernel without thermal devices */
		goto out_free;
	}
	if (err)
		goto out_free;

	s->zones = kcalloc(l->n_zones, sizeof(*s->zones), GFP_KERNEL);
	s->cooling = kcalloc(l->n_cooling, sizeof(*s->cooling), GFP_KERNEL);
	if ((l->n_zones && !s->zones) || (l->n_cooling && !s->cooling)) {
		err = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < l->n_zones; i++) {
		s->zones[i].id = l->zones[i];
		read_zone(r, &s->zones[i]);
	}
	s->n_zones = l->n_zones;
	for (i = 0; i < l->n_cooling; i++) {
		s->cooling[i].id = l->cooling[i];
		read_cooling(r, &s->cooling[i]);
		if (s->cooling[i].has_cur && s->cooling[i].cur_state > 0)
			s->throttling = true;
	}
	s->n_cooling = l->n_cooling;

out_free:
	reader_exit(r);
	kfree(r);
	kfree(l);
	return err;
}
