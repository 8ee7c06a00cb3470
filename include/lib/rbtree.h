/*
 * Red-black tree, intrusive (the node lives in the caller's struct), with
 * the caller doing the search/insert descent as in Linux's rbtree.h:
 *
 *   struct rb_node **link = &root->node, *parent = NULL;
 *   while (*link) { parent = *link; link = key < KEY(parent) ? &parent->left : &parent->right; }
 *   rb_link_node(node, parent, link);
 *   rb_insert_color(node, root);
 *
 * Height stays <= 2 log2(n + 1); insert and erase are O(log n), with at
 * most three rotations. Not thread safe: the owner's lock protects it.
 */
#ifndef LIB_RBTREE_H
#define LIB_RBTREE_H

#include <stddef.h>
#include <stdbool.h>

struct rb_node {
	struct rb_node *parent;
	struct rb_node *left, *right;
	bool red;
};

struct rb_root {
	struct rb_node *node;
};

#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* Attach node (not yet in a tree) as the child *link of parent. */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent, struct rb_node **link)
{
	node->parent = parent;
	node->left = node->right = NULL;
	node->red = true;
	*link = node;
}

/* Rebalance after rb_link_node(). */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
/* Remove node from the tree. */
void rb_erase(struct rb_node *node, struct rb_root *root);
/* In-order first/last/next/prev; NULL at the ends. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);
/* Check the red-black invariants and parent links (tests): the black
 * height, or -1 if broken. */
int rb_check(const struct rb_root *root);

#endif
