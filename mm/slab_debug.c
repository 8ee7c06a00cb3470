/*
 * Slab debugging, like Linux's slub_debug=F,Z,P,U, chosen per cache or
 * for all caches by board.cfg's CONFIG_SLAB_DEBUG ("FZPU", or
 * "FZ,kmalloc-64,dentry" for some caches only):
 *
 *   F  sanity checks: a freed pointer must be an object start of a slab of
 *      this cache and not already free; free pointers are validated
 *   Z  red zones before and after every object (and, for kmalloc, between
 *      the size asked for and the size class): 0xbb while free, 0xcc in use
 *   P  poisoning: free objects are 0x6b with a final 0xa5; a change is a
 *      write after free
 *   U  user tracking: allocation and free call sites and sequence numbers,
 *      per-site live objects/bytes for leak hunting
 *
 * A detected error prints a report naming the cache, the object, the bytes
 * that changed and the call sites that allocated and freed it (address and
 * function+offset/size from kallsyms); the object is then quarantined
 * (never reused) and the system keeps running.
 */
#include <lib/kallsyms.h>
#include <stdio.h>
#include <string.h>

#include "slab_internal.h"

#define RED_INACTIVE 0xbb
#define RED_ACTIVE 0xcc
#define POISON_FREE 0x6b
#define POISON_END 0xa5
#define RED_ZONE_MIN 16

static char debug_spec[64];
static u64 seq;

u64 slab_clock(void) { return ++seq; }

static struct slab_site sites[SLAB_TRACK_SITES];

void slab_debug_set(const char *spec)
{
	strncpy(debug_spec, spec ? spec : "", sizeof(debug_spec) - 1);
	memset(sites, 0, sizeof(sites));
	memset(&slab_errors, 0, sizeof(slab_errors));
}

unsigned slab_debug_flags_for(const char *name)
{
	const char *names = strchr(debug_spec, ',');
	unsigned flags = 0;

	for (const char *p = debug_spec; *p && p != names; p++) {
		switch (*p) {
		case 'F': flags |= SLAB_CONSISTENCY_CHECKS; break;
		case 'Z': flags |= SLAB_RED_ZONE; break;
		case 'P': flags |= SLAB_POISON; break;
		case 'U': flags |= SLAB_STORE_USER; break;
		default: break;
		}
	}
	if (!names)
		return flags;
	for (const char *p = names + 1; *p;) {
		size_t n = strcspn(p, ",");

		if (n == strlen(name) && !strncmp(p, name, n))
			return flags;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Object layout with debugging; see the picture in slab_internal.h. */
void slab_debug_layout(struct kmem_cache *s)
{
	unsigned end = (unsigned)ALIGN_UP(s->object_size, 8);

	s->red_left = (s->flags & SLAB_RED_ZONE) ? (unsigned)ALIGN_UP(RED_ZONE_MIN, s->align) : 0;
	s->inuse = end + ((s->flags & SLAB_RED_ZONE) ? RED_ZONE_MIN : 0);
	s->offset = s->inuse; /* outside the object: poisoning and red zones stay intact */
	s->track_off = s->offset + 8;
	s->size = s->red_left + s->track_off + 2 * (unsigned)sizeof(struct slab_track);
}

static struct slab_track *tracks(const struct kmem_cache *s, void *obj)
{
	return (struct slab_track *)((char *)obj + s->track_off);
}

/* Size the user may touch: for kmalloc, what was asked for. */
static unsigned user_size(const struct kmem_cache *s, void *obj)
{
	u32 orig = tracks(s, obj)[0].orig_size;

	return orig && orig <= s->object_size ? orig : s->object_size;
}

static void fill_redzones(const struct kmem_cache *s, void *obj, u8 val, unsigned from)
{
	if (!(s->flags & SLAB_RED_ZONE))
		return;
	memset((char *)obj - s->red_left, val, s->red_left);
	memset((char *)obj + from, val, s->inuse - from);
}

void slab_debug_init_slot(struct kmem_cache *s, void *obj)
{
	memset(tracks(s, obj), 0, 2 * sizeof(struct slab_track));
	tracks(s, obj)[1].state = TRACK_FREE;
	fill_redzones(s, obj, RED_INACTIVE, s->object_size);
	if (s->flags & SLAB_POISON) {
		memset(obj, POISON_FREE, s->object_size - 1);
		((u8 *)obj)[s->object_size - 1] = POISON_END;
	}
}

/* ---- reports ----------------------------------------------------------- */

static void hexdump(const char *label, const u8 *p, unsigned len)
{
	for (unsigned i = 0; i < len; i += 16) {
		printf("%-8s %016llx:", i ? "" : label, (unsigned long long)(uintptr_t)(p + i));
		for (unsigned j = i; j < MIN(i + 16, len); j++)
			printf(" %02x", p[j]);
		printf("\n");
	}
}

static void print_tracks(const struct kmem_cache *s, void *obj)
{
	struct slab_track *t = tracks(s, obj);
	char sym[KSYM_BUF];

	if (!(s->flags & SLAB_STORE_USER))
		return;
	if (t[0].addr)
		printf("Allocated by [<%016llx>] %s seq=%llu size=%u\n", (unsigned long long)t[0].addr,
		       sprint_symbol(t[0].addr, sym, sizeof(sym)), (unsigned long long)t[0].when, t[0].orig_size);
	if (t[1].addr)
		printf("Freed by     [<%016llx>] %s seq=%llu\n", (unsigned long long)t[1].addr,
		       sprint_symbol(t[1].addr, sym, sizeof(sym)), (unsigned long long)t[1].when);
}

static void report_header(const struct kmem_cache *s, const char *what)
{
	printf("=============================================================================\n");
	printf("BUG %s: %s\n", s->name, what);
	printf("-----------------------------------------------------------------------------\n");
}

static void report_object(const struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller)
{
	u8 *o = obj;
	char sym[KSYM_BUF];

	printf("Object %016llx in slab %016llx (object %u of %llu, size %u, slot %u) seen by [<%016llx>] %s\n",
	       (unsigned long long)(uintptr_t)obj, (unsigned long long)(uintptr_t)slab_address(slab),
	       (unsigned)(((char *)obj - (char *)slab_address(slab)) / s->size), (unsigned long long)slab_objects(slab),
	       s->object_size, s->size, (unsigned long long)caller, sprint_symbol(caller, sym, sizeof(sym)));
	print_tracks(s, obj);
	if (s->red_left)
		hexdump("Redzone", o - s->red_left, s->red_left);
	hexdump("Object", o, MIN(s->object_size, 128u));
	if (s->inuse > s->object_size)
		hexdump("Redzone", o + s->object_size, s->inuse - s->object_size);
}

/* Check [p, p+len) == val; report the changed range. Returns true if intact. */
static bool check_bytes(const struct kmem_cache *s, struct page *slab, void *obj, const u8 *p, unsigned len,
			u8 val, const char *what, uintptr_t caller, u64 *counter)
{
	unsigned first = len, last = 0, n = 0;

	for (unsigned i = 0; i < len; i++) {
		if (p[i] != val) {
			first = MIN(first, i);
			last = i;
			n++;
		}
	}
	if (!n)
		return true;
	(*counter)++;
	report_header(s, what);
	printf("%u bytes changed at %016llx-%016llx (object%+lld..%+lld): first byte 0x%02x instead of 0x%02x\n", n,
	       (unsigned long long)(uintptr_t)(p + first), (unsigned long long)(uintptr_t)(p + last),
	       (long long)((const char *)p + first - (const char *)obj), (long long)((const char *)p + last - (const char *)obj),
	       p[first], val);
	report_object(s, slab, obj, caller);
	printf("FIX %s: object %016llx quarantined (never reused)\n\n", s->name, (unsigned long long)(uintptr_t)obj);
	return false;
}

void slab_report_bad_pointer(struct kmem_cache *s, const void *obj, const char *why, uintptr_t caller)
{
	char sym[KSYM_BUF];

	report_header(s, why);
	printf("Pointer %016llx passed by [<%016llx>] %s: ignored\n\n", (unsigned long long)(uintptr_t)obj,
	       (unsigned long long)caller, sprint_symbol(caller, sym, sizeof(sym)));
}

static void quarantine(struct kmem_cache *s)
{
	s->quarantined++;
	slab_errors.quarantined++;
}

/* ---- checks --------------------------------------------------------------- */

static bool redzones_ok(struct kmem_cache *s, struct page *slab, void *obj, u8 val, uintptr_t caller)
{
	unsigned from = val == RED_ACTIVE ? user_size(s, obj) : s->object_size;
	const char *which = val == RED_ACTIVE ? "" : " (object is free)";
	char left[64], right[64];

	if (!(s->flags & SLAB_RED_ZONE))
		return true;
	snprintf(left, sizeof(left), "Left Redzone overwritten%s", which);
	snprintf(right, sizeof(right), "%s Redzone overwritten%s", from < s->object_size ? "kmalloc/Right" : "Right",
		 which);
	return check_bytes(s, slab, obj, (u8 *)obj - s->red_left, s->red_left, val, left, caller,
			   &slab_errors.redzone) &&
	       check_bytes(s, slab, obj, (u8 *)obj + from, s->inuse - from, val, right, caller, &slab_errors.redzone);
}

static bool poison_ok(struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller)
{
	if (!(s->flags & SLAB_POISON))
		return true;
	return check_bytes(s, slab, obj, obj, s->object_size - 1, POISON_FREE, "Poison overwritten (write after free)",
			   caller, &slab_errors.poison) &&
	       check_bytes(s, slab, obj, (u8 *)obj + s->object_size - 1, 1, POISON_END,
			   "Poison overwritten (write after free)", caller, &slab_errors.poison);
}

bool slab_debug_alloc_check(struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller, size_t orig_size)
{
	if (!redzones_ok(s, slab, obj, RED_INACTIVE, caller) || !poison_ok(s, slab, obj, caller)) {
		quarantine(s);
		return false;
	}
	tracks(s, obj)[0].orig_size = (u32)orig_size;
	fill_redzones(s, obj, RED_ACTIVE, user_size(s, obj));
	slab_track_alloc(s, obj, caller, orig_size);
	return true;
}

/* Whether obj is on a free list of its slab (the CPU freelist and remote lists included). */
static bool on_freelist(struct kmem_cache *s, struct page *slab, void *obj)
{
	for (void *p = (void *)slab->private; p && slab_is_object_start(s, slab, p); p = slab_get_fp(s, p))
		if (p == obj)
			return true;
	return slab_cpu_holds_free(s, slab, obj);
}

bool slab_debug_free_check(struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller)
{
	struct slab_track *t = tracks(s, obj);
	bool already_free;

	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !slab_is_object_start(s, slab, obj)) {
		slab_errors.bad_free++;
		slab_report_bad_pointer(s, obj, "invalid free: not the start of an object", caller);
		return false;
	}
	already_free = (s->flags & SLAB_STORE_USER) ? t[1].state == TRACK_FREE
			: (s->flags & SLAB_CONSISTENCY_CHECKS) && on_freelist(s, slab, obj);
	if (already_free) {
		slab_errors.double_free++;
		report_header(s, "double free");
		report_object(s, slab, obj, caller);
		printf("FIX %s: second free of %016llx ignored\n\n", s->name, (unsigned long long)(uintptr_t)obj);
		return false;
	}
	if (!redzones_ok(s, slab, obj, RED_ACTIVE, caller)) {
		quarantine(s);
		return false;
	}
	slab_track_free(s, obj);
	t[1].addr = caller;
	t[1].when = slab_clock();
	t[1].state = TRACK_FREE;
	fill_redzones(s, obj, RED_INACTIVE, s->object_size);
	if (s->flags & SLAB_POISON) {
		memset(obj, POISON_FREE, s->object_size - 1);
		((u8 *)obj)[s->object_size - 1] = POISON_END;
	}
	return true;
}

/* ---- per-site tracking (SLAB_STORE_USER) -------------------------------------- */

static spinlock_t sites_lock = SPINLOCK_INIT;

static struct slab_site *site_slot(uintptr_t site)
{
	unsigned h = (unsigned)((site >> 2) * 0x9e3779b1u) % SLAB_TRACK_SITES;

	for (unsigned i = 0; i < SLAB_TRACK_SITES; i++) {
		struct slab_site *e = &sites[(h + i) % SLAB_TRACK_SITES];

		if (e->site == site || !e->site) {
			e->site = site;
			return e;
		}
	}
	return NULL; /* table full: that site is not tracked */
}

void slab_track_alloc(struct kmem_cache *s, void *obj, uintptr_t caller, size_t orig_size)
{
	struct slab_track *t = tracks(s, obj);

	t[0].addr = caller;
	t[0].when = slab_clock();
	t[0].state = TRACK_ALLOCATED;
	t[1].state = 0;
	if (s->flags & SLAB_STORE_USER) {
		unsigned long f = spin_lock_irqsave(&sites_lock);
		struct slab_site *e = site_slot(caller);

		if (e) {
			e->objects++;
			e->bytes += (s64)orig_size;
		}
		spin_unlock_irqrestore(&sites_lock, f);
	}
}

void slab_track_free(struct kmem_cache *s, void *obj)
{
	struct slab_track *t = tracks(s, obj);

	if ((s->flags & SLAB_STORE_USER) && t[0].addr) {
		unsigned long f = spin_lock_irqsave(&sites_lock);
		struct slab_site *e = site_slot(t[0].addr);

		if (e) {
			e->objects--;
			e->bytes -= t[0].orig_size;
		}
		spin_unlock_irqrestore(&sites_lock, f);
	}
}

void slab_track_sample(struct slab_sample *out)
{
	unsigned long f = spin_lock_irqsave(&sites_lock);

	out->n = 0;
	for (unsigned i = 0; i < SLAB_TRACK_SITES; i++)
		if (sites[i].site)
			out->sites[out->n++] = sites[i];
	spin_unlock_irqrestore(&sites_lock, f);
}

static s64 objects_at(const struct slab_sample *s, uintptr_t site, s64 *bytes)
{
	for (unsigned i = 0; i < s->n; i++) {
		if (s->sites[i].site == site) {
			*bytes = s->sites[i].bytes;
			return s->sites[i].objects;
		}
	}
	*bytes = 0;
	return 0;
}

unsigned slab_leak_check(const struct slab_sample *samples, unsigned n, FILE *f)
{
	const struct slab_sample *last = &samples[n - 1];
	char sym[KSYM_BUF];
	unsigned found = 0;

	for (unsigned i = 0; n >= 2 && i < last->n; i++) {
		uintptr_t site = last->sites[i].site;
		s64 prev_b, b, prev = objects_at(&samples[0], site, &prev_b), first = prev, first_b = prev_b;
		bool grows = true;

		for (unsigned k = 1; k < n && grows; k++) {
			s64 cur = objects_at(&samples[k], site, &b);

			grows = cur >= prev;
			prev = cur;
		}
		if (!grows || prev <= first)
			continue;
		if (!found++)
			fprintf(f, "Possible leaks (live objects only grew over %u samples):\n"
				   "  call site            objects       bytes   growth\n", n);
		objects_at(last, site, &b);
		fprintf(f, "  [<%016llx>] %8lld %11lld  +%lld objects, +%lld bytes  %s\n", (unsigned long long)site,
			(long long)prev, (long long)b, (long long)(prev - first), (long long)(b - first_b),
			sprint_symbol(site, sym, sizeof(sym)));
	}
	if (!found)
		fprintf(f, "No call site grew steadily over %u samples.\n", n);
	return found;
}
