# SPDX-License-Identifier: GPL-2.0
# Kernel feature tests, for a Kbuild file that sets, before including this:
#   bcmon-probes        the probe source (sections "#ifdef BCMON_PROBE_X")
#   bcmon-probed        the header to generate in $(obj) (BCMON_HAVE_X)
#   bcmon-probe-users   the objects that include it
# compat-probe.sh compiles each section with the compiler and flags of this
# very build (c_flags as Kbuild computes them, less the dependency-file
# option), so DKMS and `make` probe the same headers the code is compiled
# against; if_changed reruns it when those flags or the probes change.
quiet_cmd_compat_probe = PROBE   $@
      cmd_compat_probe = $(CONFIG_SHELL) $(BCMON_ROOT)/kmod/compat-probe.sh \
			 $< $@ $(CC) $(filter-out -Wp$(comma)-MMD$(comma)%,$(c_flags))

$(obj)/$(bcmon-probed): $(bcmon-probes) $(BCMON_ROOT)/kmod/compat-probe.sh FORCE
	$(call if_changed,compat_probe)

targets += $(bcmon-probed)
clean-files += $(bcmon-probed)
$(addprefix $(obj)/,$(bcmon-probe-users)): $(obj)/$(bcmon-probed)
