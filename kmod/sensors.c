// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon sensors: a worker takes a complete snapshot of every thermal zone,
 * cooling device and power supply every sensor_interval_ms, and soon after
 * a power supply announces a change (at most one such rescan per
 * sensor_change_min_ms, so a storm of power_supply_changed() calls costs one
 * rescan per period, not one each). The power-supply notifier chain is a
 * blocking one on 6.1 and 6.12 (power_supply_notifier, called from the
 * core's changed_work), but the notifier still only kicks the worker: all
 * reads happen in the worker, in process context.
 *
 * The worker runs on system_freezable_power_efficient_wq, as the thermal
 * core's own polling does: it is frozen with user space during suspend, so
 * nothing reads an I2C fuel gauge or a thermal sensor whose bus is
 * suspended; a change announced meanwhile is read after resume.
 *
 * A snapshot is immutable once published and reference counted: readers
 * (netlink dumps across several messages, debugfs) keep the one they
 * started with, so what they report is always one consistent reading.
 * snap_lock only guards the pointer swap.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/power_supply.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "sensors.h"

#define SENSOR_INTERVAL_MIN_MS	100

static unsigned int sensor_interval_ms = 5000;
static int interval_set(const char *val, const struct kernel_param *kp);
static const struct kernel_param_ops interval_ops = {
	.set = interval_set,
	.get = param_get_uint,
};
module_param_cb(sensor_interval_ms, &interval_ops, &sensor_interval_ms, 0644);
MODULE_PARM_DESC(sensor_interval_ms,
		 "Sensor snapshot period in ms (at least " __stringify(SENSOR_INTERVAL_MIN_MS) ", default 5000)");

static unsigned int sensor_change_min_ms = 250;
module_param(sensor_change_min_ms, uint, 0644);
MODULE_PARM_DESC(sensor_change_min_ms,
		 "Least time between two rescans caused by power-supply change notifications, ms (default 250)");

static int low_capacity = 10;
module_param(low_capacity, int, 0644);
MODULE_PARM_DESC(low_capacity,
		 "Battery capacity (percent) at or below which a supply is low (default 10)");

static DEFINE_SPINLOCK(snap_lock);
static struct bcmon_sensors *current_snap;
static u64 generation;

static void snapshot_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(snapshot_work, snapshot_work_fn);
static bool running;		/* under snap_lock: the worker may be queued */
static unsigned long last_start;	/* under snap_lock: jiffies of the last snapshot */
#define SENSORS_WQ	system_freezable_power_efficient_wq

unsigned int bcmon_sensors_interval_ms(void)
{
	return max_t(unsigned int, READ_ONCE(sensor_interval_ms),
		     SENSOR_INTERVAL_MIN_MS);
}

static void sensors_free(struct kref *ref)
{
	struct bcmon_sensors *s = container_of(ref, struct bcmon_sensors, ref);

	kfree(s->zones);
	kfree(s->cooling);
	kfree(s->supplies);
	kfree(s);
}

void bcmon_sensors_put(struct bcmon_sensors *s)
{
	if (s)
		kref_put(&s->ref, sensors_free);
}

struct bcmon_sensors *bcmon_sensors_get(void)
{
	struct bcmon_sensors *s;

	spin_lock_bh(&snap_lock);
	s = current_snap;
	if (s)
		kref_get(&s->ref);
	spin_unlock_bh(&snap_lock);
	return s;
}

static struct bcmon_sensors *snapshot_take(void)
{
	struct bcmon_sensors *s;
	u64 start = ktime_get_ns();
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	kref_init(&s->ref);
	s->taken_ns = ktime_get_real_ns();
	/* A failed class read leaves that class empty, not the others. */
	err = bcmon_sensors_read_thermal(s);
	if (err)
		pr_warn_ratelimited("thermal devices unreadable: %d\n", err);
	err = bcmon_sensors_read_supplies(s);
	if (err)
		pr_warn_ratelimited("power supplies unreadable: %d\n", err);
	s->cost_ns = ktime_get_ns() - start;
	return s;
}

/* Take a snapshot, announce changes against the previous one, publish it. */
static void snapshot_update(void)
{
	struct bcmon_sensors *s, *prev;

	s = snapshot_take();
	if (!s)
		return;	/* keep the previous snapshot; try again next period */
	prev = bcmon_sensors_get();
	s->generation = ++generation;	/* only the worker and init write */
	bcmon_sensors_announce(prev, s, READ_ONCE(low_capacity));
	bcmon_sensors_put(prev);

	spin_lock_bh(&snap_lock);
	prev = current_snap;
	current_snap = s;
	spin_unlock_bh(&snap_lock);
	bcmon_sensors_put(prev);
}

static void snapshot_work_fn(struct work_struct *work)
{
	spin_lock_bh(&snap_lock);
	last_start = jiffies;
	spin_unlock_bh(&snap_lock);
	snapshot_update();

	spin_lock_bh(&snap_lock);
	if (running)
		queue_delayed_work(SENSORS_WQ, &snapshot_work,
				   msecs_to_jiffies(bcmon_sensors_interval_ms()));
	spin_unlock_bh(&snap_lock);
}

/* A new interval applies at once, not after the old one ran out. */
static int interval_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_uint(val, kp);

	if (err)
		return err;
	spin_lock_bh(&snap_lock);
	if (running)
		mod_delayed_work(SENSORS_WQ, &snapshot_work,
				 msecs_to_jiffies(bcmon_sensors_interval_ms()));
	spin_unlock_bh(&snap_lock);
	return 0;
}

/*
 * Under snap_lock: will the worker run within delay jiffies as it is
 * queued now? Not when it is idle or running: a running worker requeues
 * itself a whole period after it finishes. Pending with no timer armed
 * (queued with no delay, or its timer has fired) means it runs now. The
 * timer's expiry is only set by queueing the work, which the notifier,
 * interval_set() and the worker itself all do under snap_lock.
 */
static bool snapshot_due_within(unsigned long delay)
{
	if (!delayed_work_pending(&snapshot_work))
		return false;
	if (!timer_pending(&snapshot_work.timer))
		return true;
	return time_before_eq(READ_ONCE(snapshot_work.timer.expires),
			      jiffies + delay);
}

/*
 * Power-supply notifier (a blocking chain): ask the worker to run as soon
 * as sensor_change_min_ms have passed since the last snapshot began. The
 * deadline is absolute, so a storm of notifications neither runs one
 * rescan each nor postpones the rescan forever. It only ever brings the
 * next snapshot forward, never later than a period from now: a periodic
 * snapshot due earlier (a rate limit longer than the period) stays where
 * it is, and a worker that is running, which would requeue itself a period
 * after it finishes, is queued again no later than a period from now.
 */
static int supply_changed(struct notifier_block *nb, unsigned long event,
			  void *data)
{
	unsigned long due, delay;

	if (event != PSY_EVENT_PROP_CHANGED)
		return NOTIFY_DONE;
	spin_lock_bh(&snap_lock);
	due = last_start + msecs_to_jiffies(READ_ONCE(sensor_change_min_ms));
	delay = time_after(due, jiffies) ? due - jiffies : 0;
	delay = min(delay, msecs_to_jiffies(bcmon_sensors_interval_ms()));
	if (running && !snapshot_due_within(delay))
		mod_delayed_work(SENSORS_WQ, &snapshot_work, delay);
	spin_unlock_bh(&snap_lock);
	return NOTIFY_OK;
}

static struct notifier_block supply_nb = {
	.notifier_call = supply_changed,
};

int bcmon_sensors_low_capacity(void)
{
	return READ_ONCE(low_capacity);
}

/* --- lifecycle -------------------------------------------------------------- */

int bcmon_sensors_init(void)
{
	/* The first snapshot is taken now, so readers never find none. */
	snapshot_update();
	if (!current_snap)
		return -ENOMEM;
	return 0;
}

/*
 * Watch for changes and start the periodic snapshots. Only once the netlink
 * family is registered: the worker announces events on it.
 */
int bcmon_sensors_start(void)
{
	int err;

	spin_lock_bh(&snap_lock);
	running = true;
	spin_unlock_bh(&snap_lock);
	err = power_supply_reg_notifier(&supply_nb);
	if (err) {
		spin_lock_bh(&snap_lock);
		running = false;
		spin_unlock_bh(&snap_lock);
		return err;
	}
	spin_lock_bh(&snap_lock);
	queue_delayed_work(SENSORS_WQ, &snapshot_work,
			   msecs_to_jiffies(bcmon_sensors_interval_ms()));
	spin_unlock_bh(&snap_lock);
	return 0;
}

void bcmon_sensors_stop(void)
{
	bool was_running;

	spin_lock_bh(&snap_lock);
	was_running = running;
	running = false;
	spin_unlock_bh(&snap_lock);
	if (!was_running)
		return;
	power_supply_unreg_notifier(&supply_nb);
	/* Also waits for a running snapshot; it will not requeue itself. */
	cancel_delayed_work_sync(&snapshot_work);
}

void bcmon_sensors_exit(void)
{
	bcmon_sensors_stop();
	bcmon_sensors_put(current_snap);
	current_snap = NULL;
}
