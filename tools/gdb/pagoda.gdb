# gdb-multiarch setup for Pagoda: `make debug` in one shell, `make gdb` in another.
set pagination off
set confirm off
target remote :1234
# Stop on every fatal path, with the crash report already printed.
break panic
break kernel_stack_overflow
source tools/gdb/pagoda.py
source tools/gdb/pagoda_mm.py
echo \nPagoda: breakpoints on panic/kernel_stack_overflow. Commands: pagoda-walk VA, pagoda-esr VALUE,\n  pagoda-ps, pagoda-meminfo, pagoda-page PFN|-v KVA|-p PAGE, pagoda-vmas PID (help CMD)\n
echo Type 'continue' to boot.\n
