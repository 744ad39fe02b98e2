UNIT_TESTS += acpi
UNIT_SRCS_acpi := test/unit/test_acpi.c drivers/acpi_tables.c
