# The host unit tests again as 32-bit x86 programs (clang -m32: 32-bit
# pointers, size_t and long; phys_addr_t stays 64-bit), under the same
# ASan/UBSan, into $(O)/host32/. Same test list and module lists as the
# 64-bit build (HOST_TESTS, SRCS_* from tests.mk): nothing is listed twice.
# Each source is compiled once into $(O)/host32/obj/ and the tests link the
# objects they list (the 64-bit rule compiles every test's sources anew).
# Libraries: Debian's i386 libcmocka-dev, liblz4-dev and libfdt1 (the .so,
# with libfdt-dev:arm64's arch-independent headers, as the 64-bit build).
HOST32_CFLAGS := -m32 $(HOST_CFLAGS)
HOST32_LIBS := $(HOST_LIBS)
HOST32_OBJ := $(O)/host32/obj
host32_objs = $(patsubst %.c,$(HOST32_OBJ)/%.o,$(1))

$(HOST32_OBJ)/%.o: %.c $(GEN_HEADER)
	@mkdir -p $(dir $@)
	@$(HOST_CC) $(HOST32_CFLAGS) -MMD -MP -c $< -o $@

$(O)/host32/%: $$(call host32_objs,test/host/%.c $$(SRCS_$$*) $(HOST_COMMON))
	@mkdir -p $(dir $@)
	@echo "  HOSTLD32 $@"
	@$(HOST_CC) -m32 $(HOST_SAN) $^ $(HOST32_LIBS) -o $@

# Tests whose sources take extra flags (HOST_EXTRA_<test> in tests.mk: ARMv7-A's
# headers, or the shared encoder at LPAE's address width) are compiled whole, as
# the 64-bit rule does: their objects must not be shared with the other tests.
HOST32_WHOLE := $(patsubst HOST_EXTRA_%,%,$(filter HOST_EXTRA_%,$(.VARIABLES)))
$(patsubst %,$(O)/host32/%,$(HOST32_WHOLE)): $(O)/host32/%: test/host/%.c $$(SRCS_$$*) $(HOST_COMMON) $(GEN_HEADER)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC32 $@"
	@$(HOST_CC) $(HOST32_CFLAGS) $(HOST_EXTRA_$*) $< $(HOST_COMMON) $(SRCS_$*) $(HOST32_LIBS) -o $@
	@$(HOST_DEPS)

-include $(wildcard $(HOST32_OBJ)/*/*.d $(HOST32_OBJ)/*/*/*.d $(O)/host32/*.d)

# two programs at a time (they share nothing: each has its own arena and
# tmpfile()s), then the same report as test-host, in test order
test-host32: $(patsubst %,$(O)/host32/%,$(HOST_TESTS))
	@mkdir -p $(RESULTS)
	@printf '%s\n' $(HOST_TESTS) | xargs -P2 -I{} sh -c \
		'CMOCKA_MESSAGE_OUTPUT=TAP $(O)/host32/{} > $(RESULTS)/host32-{}.tap 2>&1; echo "exit $$?" >> $(RESULTS)/host32-{}.tap'
	@for t in $(HOST_TESTS); do \
		echo "== host32: $$t"; \
		grep -E '^(not ok|ok)' $(RESULTS)/host32-$$t.tap | grep -c '^ok' | sed 's/^/   ok: /'; \
		grep -E '^not ok' $(RESULTS)/host32-$$t.tap || true; \
	done
