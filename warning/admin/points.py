"""预警点管理: the warning-point registry in the Wagtail admin (wagtail-modeladmin)."""
