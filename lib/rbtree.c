/*
 * Red-black tree (include/lib/rbtree.h), the textbook algorithm (Cormen et
 * al., "Introduction to Algorithms", ch. 13) with NULL for the black
 * leaves instead of a sentinel node, so erase carries the parent of the
 * node that replaced the removed one explicitly.
 *
 * Invariants (rb_check verifies them):
 *   1. the root is black;
 *   2. a red node has no red child;
 *   3. every path from a node down to a NULL leaf has the same number of
 *      black nodes (the black height);
 *   4. child->parent == node for every child, root->parent == NULL.
 *
 *          g(B)                 p(B)         a right rotation at g:
 *         /    \               /    \        p moves up, g becomes its
 *       p(R)    u     ->     n(R)   g(R)     right child and takes p's
 *       /  \                        /  \     old right subtree
 *     n(R)  c                      c    u
 *
 * Locking: none; the owner of the tree serialises access.
 */
#include <lib/rbtree.h>

static inline bool is_red(const struct rb_node *n) { return n && n->red; }

/* Make v take u's place under u's parent (or as the root). */
static void replace_child(struct rb_root *root, struct rb_node *u, struct rb_node *v)
{
	struct rb_node *p = u->parent;

	if (!p)
		root->node = v;
	else if (p->left == u)
		p->left = v;
	else
		p->right = v;
	if (v)
		v->parent = p;
}

static void rotate_left(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace_child(root, x, y);
	y->left = x;
	x->parent = y;
}

static void rotate_right(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	replace_child(root, x, y);
	y->right = x;
	x->parent = y;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *p, *g, *u;

	/* node is red; the only possible violation is a red parent */
	while ((p = node->parent) && p->red) {
		g = p->parent; /* exists: a red node is never the root */
		if (p == g->left) {
			u = g->right;
			if (is_red(u)) { /* recolour and move the problem up */
				p->red = u->red = false;
				g->red = true;
				node = g;
				continue;
			}
			if (node == p->right) { /* zig-zag: make it zig-zig */
				rotate_left(root, p);
				node = p;
				p = node->parent;
			}
			p->red = false;
			g->red = true;
			rotate_right(root, g);
		} else {
			u = g->left;
			if (is_red(u)) {
				p->red = u->red = false;
				g->red = true;
				node = g;
				continue;
			}
			if (node == p->left) {
				rotate_right(root, p);
				node = p;
				p = node->parent;
			}
			p->red = false;
			g->red = true;
			rotate_left(root, g);
		}
	}
	root->node->red = false;
}

/* x (possibly NULL) sits under parent and is one black short ("doubly black"). */
static void erase_fixup(struct rb_root *root, struct rb_node *x, struct rb_node *parent)
{
	struct rb_node *w;

	while (x != root->node && !is_red(x)) {
		if (x == parent->left) {
			w = parent->right; /* non-NULL: its side has black height >= 1 */
			if (w->red) {
				w->red = false;
				parent->red = true;
				rotate_left(root, parent);
				w = parent->right;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = parent;
				parent = x->parent;
				continue;
			}
			if (!is_red(w->right)) {
				w->left->red = false;
				w->red = true;
				rotate_right(root, w);
				w = parent->right;
			}
			w->red = parent->red;
			parent->red = false;
			w->right->red = false;
			rotate_left(root, parent);
		} else {
			w = parent->left;
			if (w->red) {
				w->red = false;
				parent->red = true;
				rotate_right(root, parent);
				w = parent->left;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = parent;
				parent = x->parent;
				continue;
			}
			if (!is_red(w->left)) {
				w->right->red = false;
				w->red = true;
				rotate_left(root, w);
				w = parent->left;
			}
			w->red = parent->red;
			parent->red = false;
			w->left->red = false;
			rotate_right(root, parent);
		}
		x = root->node;
		break;
	}
	if (x)
		x->red = false;
}

void rb_erase(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *x, *xparent;
	bool removed_red = z->red;

	if (!z->left) {
		x = z->right;
		xparent = z->parent;
		replace_child(root, z, x);
	} else if (!z->right) {
		x = z->left;
		xparent = z->parent;
		replace_child(root, z, x);
	} else {
		/* two children: z's successor y (no left child) takes z's place */
		struct rb_node *y = z->right;

		while (y->left)
			y = y->left;
		removed_red = y->red;
		x = y->right;
		if (y->parent == z) {
			xparent = y;
		} else {
			xparent = y->parent;
			replace_child(root, y, x);
			y->right = z->right;
			y->right->parent = y;
		}
		replace_child(root, z, y);
		y->left = z->left;
		y->left->parent = y;
		y->red = z->red;
	}
	z->parent = z->left = z->right = NULL;
	if (!removed_red)
		erase_fixup(root, x, xparent);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	while (n && n->left)
		n = n->left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	while (n && n->right)
		n = n->right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	const struct rb_node *n = node;

	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct rb_node *)n;
	}
	while (n->parent && n == n->parent->right)
		n = n->parent;
	return n->parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	const struct rb_node *n = node;

	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (struct rb_node *)n;
	}
	while (n->parent && n == n->parent->left)
		n = n->parent;
	return n->parent;
}

/* Black height of the subtree at n (NULL leaves count 1), or -1. */
static int check_subtree(const struct rb_node *n, const struct rb_node *parent, unsigned depth)
{
	int l, r;

	if (!n)
		return 1;
	if (n->parent != parent || depth > 128) /* 2 log2(n+1) <= 128 for any n in memory */
		return -1;
	if (n->red && (is_red(n->left) || is_red(n->right)))
		return -1;
	l = check_subtree(n->left, n, depth + 1);
	r = check_subtree(n->right, n, depth + 1);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + (n->red ? 0 : 1);
}

int rb_check(const struct rb_root *root)
{
	if (is_red(root->node))
		return -1;
	return check_subtree(root->node, NULL, 0);
}
