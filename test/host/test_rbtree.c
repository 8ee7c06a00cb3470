/*
 * The red-black tree (lib/rbtree.c) against a sorted-array model: random
 * inserts and erases of 10,000 keys with rb_check after every operation,
 * in-order walks (first/next, last/prev) equal to the model, the height
 * bound 2 log2(n + 1), ascending/descending fills and drains (the
 * rotation-heavy cases), and rb_check rejecting broken trees.
 */
#include <lib/rbtree.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <types.h>

#define NKEYS 10000

struct item {
	unsigned key;
	struct rb_node rb;
	bool in_tree;
};

static struct item items[NKEYS * 2]; /* items[k] has key k */
static struct rb_root root;
static unsigned model[NKEYS * 2];    /* sorted keys in the tree */
static unsigned nmodel;

static u64 rng = 0x9e3779b97f4a7c15ULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static int setup(void **state)
{
	(void)state;
	root = RB_ROOT;
	nmodel = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(items); i++)
		items[i] = (struct item){ .key = i };
	return 0;
}

static unsigned key_of(const struct rb_node *n) { return rb_entry(n, struct item, rb)->key; }

static void tree_insert(struct item *it)
{
	struct rb_node **link = &root.node, *parent = NULL;

	while (*link) {
		parent = *link;
		assert_int_not_equal(key_of(parent), it->key);
		link = it->key < key_of(parent) ? &parent->left : &parent->right;
	}
	rb_link_node(&it->rb, parent, link);
	rb_insert_color(&it->rb, &root);
	it->in_tree = true;
}

static struct item *tree_find(unsigned key)
{
	struct rb_node *n = root.node;

	while (n && key_of(n) != key)
		n = key < key_of(n) ? n->left : n->right;
	return n ? rb_entry(n, struct item, rb) : NULL;
}

static void model_insert(unsigned key)
{
	unsigned i = nmodel;

	while (i > 0 && model[i - 1] > key) {
		model[i] = model[i - 1];
		i--;
	}
	model[i] = key;
	nmodel++;
}

static void model_erase(unsigned key)
{
	unsigned i = 0;

	while (model[i] != key)
		i++;
	memmove(&model[i], &model[i + 1], (nmodel - i - 1) * sizeof(model[0]));
	nmodel--;
}

static unsigned height(const struct rb_node *n)
{
	unsigned l, r;

	if (!n)
		return 0;
	l = height(n->left);
	r = height(n->right);
	return 1 + (l > r ? l : r);
}

/* The tree's in-order walks, both directions, equal the model. */
static void check_against_model(void)
{
	unsigned i = 0, h = height(root.node);

	for (struct rb_node *n = rb_first(&root); n; n = rb_next(n), i++) {
		assert_true(i < nmodel);
		assert_int_equal(key_of(n), model[i]);
	}
	assert_int_equal(i, nmodel);
	for (struct rb_node *n = rb_last(&root); n; n = rb_prev(n)) {
		assert_true(i > 0);
		assert_int_equal(key_of(n), model[--i]);
	}
	assert_int_equal(i, 0);
	assert_true(h < 64 && (1ULL << h) <= (u64)(nmodel + 1) * (nmodel + 1)); /* h <= 2 log2(n+1) */
}

static void empty_tree(void **state)
{
	(void)state;
	assert_null(rb_first(&root));
	assert_null(rb_last(&root));
	assert_int_equal(rb_check(&root), 1);
	tree_insert(&items[5]);
	assert_ptr_equal(rb_first(&root), &items[5].rb);
	assert_ptr_equal(rb_last(&root), &items[5].rb);
	assert_null(rb_next(&items[5].rb));
	assert_null(rb_prev(&items[5].rb));
	assert_int_equal(rb_check(&root), 2);
	rb_erase(&items[5].rb, &root);
	assert_null(root.node);
	assert_int_equal(rb_check(&root), 1);
}

/* Sorted input is the worst case for an unbalanced tree. */
static void ascending_and_descending(void **state)
{
	(void)state;
	for (unsigned k = 0; k < NKEYS; k++) {
		tree_insert(&items[k]);
		model_insert(k);
		assert_true(rb_check(&root) > 0);
	}
	check_against_model();
	for (unsigned k = 0; k < NKEYS; k += 2) { /* every other from the front */
		rb_erase(&items[k].rb, &root);
		model_erase(k);
		assert_true(rb_check(&root) > 0);
	}
	check_against_model();
	for (unsigned k = NKEYS - 1; k < NKEYS; k -= 2) { /* the rest from the back */
		rb_erase(&items[k].rb, &root);
		model_erase(k);
		assert_true(rb_check(&root) > 0);
	}
	assert_null(root.node);
	for (unsigned k = NKEYS; k-- > 0;) {
		tree_insert(&items[k]);
		model_insert(k);
		assert_true(rb_check(&root) > 0);
	}
	check_against_model();
	while (root.node) { /* always erase the root: the two-children case */
		unsigned k = key_of(root.node);

		rb_erase(root.node, &root);
		model_erase(k);
		assert_true(rb_check(&root) > 0);
	}
	assert_int_equal(nmodel, 0);
}

/* 10,000 keys inserted at random, interleaved with random erases. */
static void random_against_model(void **state)
{
	unsigned inserted = 0, ops = 0;

	(void)state;
	while (inserted < NKEYS || nmodel > 0) {
		bool insert = inserted < NKEYS && (nmodel == 0 || rnd(3) != 0);

		if (insert) {
			unsigned k;

			do
				k = rnd(ARRAY_SIZE(items));
			while (items[k].in_tree);
			tree_insert(&items[k]);
			model_insert(k);
			inserted++;
		} else {
			unsigned k = model[rnd(nmodel)];
			struct item *it = tree_find(k);

			assert_ptr_equal(it, &items[k]);
			rb_erase(&it->rb, &root);
			it->in_tree = false;
			model_erase(k);
			assert_null(tree_find(k));
		}
		assert_true(rb_check(&root) > 0);
		if (++ops % 97 == 0 || nmodel < 8)
			check_against_model();
	}
	check_against_model();
	assert_null(root.node);
}

/* next/prev from every node land on the model's neighbours. */
static void neighbours(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 1000; i++) {
		unsigned k = rnd(ARRAY_SIZE(items));

		if (!items[k].in_tree) {
			tree_insert(&items[k]);
			model_insert(k);
		}
	}
	assert_true(rb_check(&root) > 0);
	assert_int_equal(key_of(rb_first(&root)), model[0]);
	assert_int_equal(key_of(rb_last(&root)), model[nmodel - 1]);
	for (unsigned i = 0; i < nmodel; i++) {
		struct rb_node *n = &items[model[i]].rb, *nx = rb_next(n), *pv = rb_prev(n);

		if (i + 1 < nmodel)
			assert_int_equal(key_of(nx), model[i + 1]);
		else
			assert_null(nx);
		if (i > 0)
			assert_int_equal(key_of(pv), model[i - 1]);
		else
			assert_null(pv);
	}
}

/* rb_check notices each kind of damage. */
static void check_detects_damage(void **state)
{
	(void)state;
	for (unsigned k = 0; k < 100; k++)
		tree_insert(&items[k]);
	assert_true(rb_check(&root) > 0);

	root.node->red = true; /* red root */
	assert_int_equal(rb_check(&root), -1);
	root.node->red = false;

	struct rb_node *leaf = rb_first(&root);

	leaf->red = !leaf->red; /* black height (or red-red) broken */
	assert_int_equal(rb_check(&root), -1);
	leaf->red = !leaf->red;
	assert_true(rb_check(&root) > 0);

	struct rb_node *saved = leaf->parent;

	leaf->parent = root.node->right == leaf ? root.node->left : root.node->right; /* bad link */
	assert_int_equal(rb_check(&root), -1);
	leaf->parent = saved;
	assert_true(rb_check(&root) > 0);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(empty_tree),
		T(ascending_and_descending),
		T(random_against_model),
		T(neighbours),
		T(check_detects_damage),
	};

	return cmocka_run_group_tests_name("rbtree", tests, NULL, NULL);
}
