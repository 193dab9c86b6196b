// SPDX-License-Identifier: GPL-2.0
/*
 * bcmon error events: a fixed ring of the most recent events and per
 * (category, severity) totals that never reset.
 *
 * Locking: one spinlock, taken with interrupts disabled, guards the ring,
 * the sequence counter and the totals. That makes bcmon_error_record() safe
 * from process, softirq and even hard interrupt context; the critical
 * section is a memcpy of one event (the message is formatted before the
 * lock is taken). Readers copy events out under the same lock in small
 * batches and format them outside it.
 *
 * Announcements: an event of severity error or above is announced on the
 * "events" multicast group. Sending netlink from the recording context is
 * not possible in general (hard interrupts, callers holding locks), so the
 * record path only queues a work item (after dropping the ring lock) that
 * sends the announceable events recorded since the last run, at most
 * NOTIFY_BATCH per run: under a flood it queues itself again rather than
 * hold a system_wq worker for as long as the flood lasts. If more than the
 * ring holds are recorded before the work gets to them, the overwritten
 * ones are not announced (they still count in the totals).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "bcmon_api.h"
#include "bcmon_internal.h"
#include "errors.h"

#define BCMON_ERROR_RING_MAX	65536

static unsigned int error_ring_size = 100;
module_param(error_ring_size, uint, 0444);
MODULE_PARM_DESC(error_ring_size,
		 "Error events kept in the ring (1.." __stringify(BCMON_ERROR_RING_MAX) ", default 100)");

static DEFINE_SPINLOCK(ring_lock);
static struct bcmon_error_event *ring;	/* ring[(seq - 1) % error_ring_size] */
static u64 next_seq = 1;		/* seq of the next event recorded */
static u64 totals[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX];

/* Announcement state, under ring_lock. */
static bool notify_enabled;
static bcmon_error_announce_fn announce_fn;	/* whoever announces (netlink) */
static u64 notify_next_seq = 1;	/* first event not yet considered */
static void errors_notify_work(struct work_struct *work);
static DECLARE_WORK(notify_work, errors_notify_work);

/*
 * Per-uid rate limit for records from the writer group (admins and the
 * kernel are not limited). A bucket holds up to burst records' worth of
 * credit, in nanoseconds: each record costs NSEC_PER_SEC / rate, and
 * credit grows by one per nanosecond. A fixed table: a uid without a
 * bucket takes a free one or one that is full again (its owner idle long
 * enough that forgetting it changes nothing); when none is, the record is
 * refused. Process context only (the netlink path).
 */
#define RATE_BUCKETS	32

static unsigned int error_user_rate = 10;
module_param(error_user_rate, uint, 0444);
MODULE_PARM_DESC(error_user_rate,
		 "Error records per second one writer-group uid may make (default 10, at least 1)");
static unsigned int error_user_burst = 50;
module_param(error_user_burst, uint, 0444);
MODULE_PARM_DESC(error_user_burst,
		 "Error records one writer-group uid may make at once (default 50, at least 1)");

struct rate_bucket {
	kuid_t uid;
	bool used;
	u64 credit_ns;
	u64 last_ns;
};

static DEFINE_SPINLOCK(rate_lock);
static struct rate_bucket rate_buckets[RATE_BUCKETS];

static u64 rate_credit(const struct rate_bucket *b, u64 now, u64 cap)
{
	return min(cap, b->credit_ns + (now - b->last_ns));
}

int bcmon_errors_user_admit(kuid_t uid)
{
	u64 cost = div_u64(NSEC_PER_SEC, error_user_rate);
	u64 cap = cost * error_user_burst, now = ktime_get_ns();
	struct rate_bucket *b = NULL, *spare = NULL;
	unsigned int i;
	int err = 0;

	spin_lock(&rate_lock);
	for (i = 0; i < RATE_BUCKETS; i++) {
		struct rate_bucket *r = &rate_buckets[i];

		if (r->used && uid_eq(r->uid, uid)) {
			b = r;
			break;
		}
		if (!spare && (!r->used || rate_credit(r, now, cap) == cap))
			spare = r;
	}
	if (!b && spare) {
		b = spare;
		b->used = true;
		b->uid = uid;
		b->credit_ns = cap;
		b->last_ns = now;
	}
	if (!b) {
		err = -EBUSY;
		goto out;
	}
	b->credit_ns = rate_credit(b, now, cap);
	b->last_ns = now;
	if (b->credit_ns < cost)
		err = -EBUSY;
	else
		b->credit_ns -= cost;
out:
	spin_unlock(&rate_lock);
	return err;
}

static const char *const category_names[__BCMON_ERR_CAT_MAX] = {
	[BCMON_ERR_CAT_NETWORK]		= "network",
	[BCMON_ERR_CAT_CONSENSUS]	= "consensus",
	[BCMON_ERR_CAT_VALIDATION]	= "validation",
	[BCMON_ERR_CAT_GAMING]		= "gaming",
	[BCMON_ERR_CAT_RESOURCE]	= "resource",
	[BCMON_ERR_CAT_SECURITY]	= "security",
	[BCMON_ERR_CAT_OTHER]		= "other",
};

static const char *const severity_names[__BCMON_SEV_MAX] = {
	[BCMON_SEV_INFO]	= "info",
	[BCMON_SEV_WARNING]	= "warning",
	[BCMON_SEV_ERROR]	= "error",
	[BCMON_SEV_CRITICAL]	= "critical",
};

const char *bcmon_error_category_name(unsigned int cat)
{
	return cat < ARRAY_SIZE(category_names) ? category_names[cat] : "?";
}

const char *bcmon_severity_name(unsigned int sev)
{
	return sev < ARRAY_SIZE(severity_names) ? severity_names[sev] : "?";
}

static u64 oldest_seq_locked(void)
{
	return next_seq > error_ring_size ? next_seq - error_ring_size : 1;
}

/* Announcements sent per run of notify_work; the rest in a later run. */
#define NOTIFY_BATCH	32

void bcmon_errors_record_msg(enum bcmon_error_category cat,
			     enum bcmon_severity sev, const char *msg,
			     const struct bcmon_error_origin *from)
{
	struct bcmon_error_event *ev;
	unsigned long flags;
	bool queue;

	/*
	 * The read-side section covers the decision and the queueing, so
	 * that bcmon_errors_stop_notify() can wait for every recorder that
	 * saw notify_enabled before it cancels the work for good.
	 */
	rcu_read_lock();
	spin_lock_irqsave(&ring_lock, flags);
	ev = &ring[(next_seq - 1) % error_ring_size];
	ev->seq = next_seq++;
	/* Under the lock: timestamps follow seq order (unless the clock is set). */
	ev->timestamp_ns = ktime_get_real_ns();
	ev->category = cat;
	ev->severity = sev;
	ev->from = *from;
	strscpy(ev->message, msg, sizeof(ev->message));
	totals[cat][sev]++;
	queue = sev >= BCMON_SEV_ERROR && notify_enabled;
	spin_unlock_irqrestore(&ring_lock, flags);
	if (queue)
		schedule_work(&notify_work);
	rcu_read_unlock();
}

/**
 * bcmon_error_record - record an error event
 * @category: what part of the node failed
 * @severity: how badly
 * @fmt: printf-style message; truncated to BCMON_ERROR_MSG_MAX - 1 bytes,
 *	 every byte outside printable ASCII replaced by '?' (a message may
 *	 carry data from outside, and each event is one line for its readers)
 *
 * Context: any (process, softirq, hard interrupt); never sleeps.
 * Return: 0, or -EINVAL for an out-of-range category or severity.
 */
int bcmon_error_record(enum bcmon_error_category category,
		       enum bcmon_severity severity, const char *fmt, ...)
{
	static const struct bcmon_error_origin kernel = {
		.origin = BCMON_ORIGIN_KERNEL,
	};
	char msg[BCMON_ERROR_MSG_MAX], *p;
	va_list args;

	if ((unsigned int)category > BCMON_ERR_CAT_MAX ||
	    (unsigned int)severity > BCMON_SEV_MAX)
		return -EINVAL;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	for (p = msg; *p; p++)
		if (!bcmon_char_printable(*p))
			*p = '?';

	bcmon_errors_record_msg(category, severity, msg, &kernel);
	return 0;
}
EXPORT_SYMBOL_GPL(bcmon_error_record);

unsigned int bcmon_errors_copy(u64 from, struct bcmon_error_event *out,
			       unsigned int max, u64 *oldest, u64 *next)
{
	unsigned int n = 0;
	unsigned long flags;
	u64 seq;

	spin_lock_irqsave(&ring_lock, flags);
	*oldest = oldest_seq_locked();
	*next = next_seq;
	for (seq = max_t(u64, from, *oldest); seq < next_seq && n < max; seq++)
		out[n++] = ring[(seq - 1) % error_ring_size];
	spin_unlock_irqrestore(&ring_lock, flags);
	return n;
}

void bcmon_errors_bounds(u64 *oldest, u64 *next)
{
	unsigned long flags;

	spin_lock_irqsave(&ring_lock, flags);
	*oldest = oldest_seq_locked();
	*next = next_seq;
	spin_unlock_irqrestore(&ring_lock, flags);
}

void bcmon_errors_totals(u64 out[__BCMON_ERR_CAT_MAX][__BCMON_SEV_MAX])
{
	unsigned long flags;

	spin_lock_irqsave(&ring_lock, flags);
	memcpy(out, totals, sizeof(totals));
	spin_unlock_irqrestore(&ring_lock, flags);
}

unsigned int bcmon_errors_ring_size(void)
{
	return error_ring_size;
}

unsigned int bcmon_errors_user_rate(void)
{
	return error_user_rate;
}

unsigned int bcmon_errors_user_burst(void)
{
	return error_user_burst;
}

u64 bcmon_errors_recorded(void)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&ring_lock, flags);
	n = next_seq - 1;
	spin_unlock_irqrestore(&ring_lock, flags);
	return n;
}

/*
 * Send the events of severity >= error recorded since the last run, up to
 * NOTIFY_BATCH; if that many went, run again later (others on system_wq
 * get their turn in between; cancel_work_sync() copes with the requeue).
 */
static void errors_notify_work(struct work_struct *work)
{
	bcmon_error_announce_fn fn;
	struct bcmon_error_event ev;
	unsigned long flags;
	unsigned int sent;
	u64 oldest, next;

	for (sent = 0; sent < NOTIFY_BATCH; sent++) {
		spin_lock_irqsave(&ring_lock, flags);
		oldest = oldest_seq_locked();
		next = next_seq;
		notify_next_seq = max(notify_next_seq, oldest);
		while (notify_next_seq < next &&
		       ring[(notify_next_seq - 1) % error_ring_size].severity <
		       BCMON_SEV_ERROR)
			notify_next_seq++;
		if (notify_next_seq >= next || !notify_enabled) {
			spin_unlock_irqrestore(&ring_lock, flags);
			return;
		}
		ev = ring[(notify_next_seq - 1) % error_ring_size];
		notify_next_seq++;
		fn = announce_fn;
		spin_unlock_irqrestore(&ring_lock, flags);

		fn(&ev);
	}
	schedule_work(&notify_work);
}

void bcmon_errors_start_notify(bcmon_error_announce_fn fn)
{
	unsigned long flags;

	bool pending;

	spin_lock_irqsave(&ring_lock, flags);
	announce_fn = fn;
	notify_enabled = true;
	/*
	 * Events recorded while stopped queued no work: the work looks at
	 * everything after notify_next_seq that is still in the ring.
	 */
	pending = notify_next_seq < next_seq;
	spin_unlock_irqrestore(&ring_lock, flags);
	if (pending)
		schedule_work(&notify_work);
}

void bcmon_errors_stop_notify(void)
{
	unsigned long flags;

	spin_lock_irqsave(&ring_lock, flags);
	notify_enabled = false;
	spin_unlock_irqrestore(&ring_lock, flags);
	/* A recorder that saw it enabled may be about to queue the work. */
	synchronize_rcu();
	cancel_work_sync(&notify_work);
}

int bcmon_errors_init(void)
{
	if (!error_ring_size || error_ring_size > BCMON_ERROR_RING_MAX) {
		pr_err("error_ring_size must be 1..%u\n", BCMON_ERROR_RING_MAX);
		return -EINVAL;
	}
	if (!error_user_rate || !error_user_burst) {
		pr_err("error_user_rate and error_user_burst must be at least 1\n");
		return -EINVAL;
	}
	ring = kvcalloc(error_ring_size, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	return 0;
}

void bcmon_errors_exit(void)
{
	bcmon_errors_stop_notify();
	kvfree(ring);
	ring = NULL;
}
