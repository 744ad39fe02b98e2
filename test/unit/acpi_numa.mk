UNIT_TESTS += acpi_numa
UNIT_SRCS_acpi_numa := test/unit/test_acpi_numa.c drivers/acpi_numa.c drivers/acpi_tables.c \
	kernel/lib/numa_layout.c
