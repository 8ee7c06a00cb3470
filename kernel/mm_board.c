/* The memory-management view of board.cfg (see include/mm/mm_init.h). */
#include <generated/board.h>
#include <mm/mm_init.h>
#include <string.h>

void mm_board_from_config(struct mm_board *b)
{
	static const struct {
		const char *name;
		unsigned bits;
		unsigned long long offset;
		unsigned channels;
		int uses_cma;
		unsigned irq;
	} engines[] = BOARD_DMA_ENGINES_INIT;

	memset(b, 0, sizeof(*b));
	for (unsigned i = 0; i < sizeof(engines) / sizeof(engines[0]) && i < MM_MAX_DMA_ENGINES; i++) {
		b->engines[i] = (struct mm_dma_engine){ engines[i].name, engines[i].bits, engines[i].offset,
							engines[i].channels, engines[i].uses_cma, engines[i].irq };
		b->nr_engines++;
	}
	b->cma_bytes = (u64)CONFIG_CMA_SIZE_MB << 20;
	b->cma_align = (u64)CONFIG_CMA_ALIGN_KB << 10;
	b->min_free_kbytes = CONFIG_MIN_FREE_KBYTES;
	b->page_poisoning = CONFIG_PAGE_POISONING;
	b->init_on_free = CONFIG_INIT_ON_FREE;
}
