# make install [DESTDIR=...] [prefix=/usr/local]: put bcmon on a real host.
#
#   $(bindir)            bcmonctl, bcmon-exporter, bcmon-sim
#   $(libdir)            libbcmon.{a,so.2,so}, libbcmon-net.a, pkgconfig/bcmon{,-net}.pc
#   $(includedir)        bcmon/*.h and linux/bcmon.h (the netlink ABI)
#   $(mandir)            man pages made from each program's --help
#   $(unitdir)           bcmon-exporter.service (hardened; see the unit)
#   $(sysconfdir)/bcmon/exporter.yml          example config (kept if present)
#   $(sysconfdir)/modules-load.d/bcmon.conf   load bcmon.ko at boot
#   /usr/src/bcmon-$(VERSION)                 module sources + dkms.conf
#   $(datadir)/bcmon     Prometheus rules and the Grafana dashboard
#   $(docdir)            Documentation/
#
# The module is not built here: DKMS builds it for every installed kernel.
# Without DESTDIR and with dkms installed, the module is registered and
# built at once; otherwise run `dkms install bcmon/$(VERSION)` yourself.
prefix      ?= /usr/local
exec_prefix ?= $(prefix)
bindir      ?= $(exec_prefix)/bin
libdir      ?= $(exec_prefix)/lib
includedir  ?= $(prefix)/include
datadir     ?= $(prefix)/share
mandir      ?= $(datadir)/man
docdir      ?= $(datadir)/doc/bcmon
sysconfdir  ?= /etc
unitdir     ?= $(prefix)/lib/systemd/system
dkmsdir     ?= /usr/src/bcmon-$(VERSION)

MANDIR_BUILD := $(BUILD)/man
MAN_PAGES := $(MANDIR_BUILD)/bcmonctl.8 $(MANDIR_BUILD)/bcmon-exporter.8 \
	     $(MANDIR_BUILD)/bcmon-sim.1
INSTALL_BINS := bcmonctl bcmon-exporter bcmon-sim

$(MANDIR_BUILD)/bcmonctl.8: $(BINDIR)/bcmonctl scripts/mkman
	@mkdir -p $(@D)
	scripts/mkman $< 8 "control and inspect the bcmon kernel module" >$@
$(MANDIR_BUILD)/bcmon-exporter.8: $(BINDIR)/bcmon-exporter scripts/mkman
	@mkdir -p $(@D)
	scripts/mkman $< 8 "Prometheus exporter for BitCraps nodes" >$@
$(MANDIR_BUILD)/bcmon-sim.1: $(BINDIR)/bcmon-sim scripts/mkman
	@mkdir -p $(@D)
	scripts/mkman $< 1 "simulated BitCraps node, bcmon's instrumentation example" >$@

man: $(MAN_PAGES)

SUBST = sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@PREFIX@|$(prefix)|g' \
	    -e 's|@LIBDIR@|$(libdir)|g' -e 's|@INCLUDEDIR@|$(includedir)|g' \
	    -e 's|@BINDIR@|$(bindir)|g' -e 's|@SYSCONFDIR@|$(sysconfdir)|g'

install: userspace man install-dkms-src
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir)/pkgconfig \
		$(DESTDIR)$(includedir)/bcmon $(DESTDIR)$(includedir)/linux \
		$(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man8 \
		$(DESTDIR)$(unitdir) $(DESTDIR)$(sysconfdir)/bcmon \
		$(DESTDIR)$(sysconfdir)/modules-load.d \
		$(DESTDIR)$(datadir)/bcmon/rules $(DESTDIR)$(datadir)/bcmon/grafana \
		$(DESTDIR)$(docdir)
	install -m 755 $(addprefix $(BINDIR)/,$(INSTALL_BINS)) $(DESTDIR)$(bindir)/
	install -m 644 $(LIBDIR)/libbcmon.a $(LIBDIR)/libbcmon-net.a $(DESTDIR)$(libdir)/
	install -m 755 $(LIBDIR)/libbcmon.so.2 $(DESTDIR)$(libdir)/
	ln -sf libbcmon.so.2 $(DESTDIR)$(libdir)/libbcmon.so
	$(SUBST) packaging/bcmon.pc.in >$(DESTDIR)$(libdir)/pkgconfig/bcmon.pc
	$(SUBST) packaging/bcmon-net.pc.in >$(DESTDIR)$(libdir)/pkgconfig/bcmon-net.pc
	install -m 644 userspace/include/bcmon/*.h $(DESTDIR)$(includedir)/bcmon/
	install -m 644 include/uapi/linux/bcmon.h $(DESTDIR)$(includedir)/linux/
	install -m 644 $(filter %.1,$(MAN_PAGES)) $(DESTDIR)$(mandir)/man1/
	install -m 644 $(filter %.8,$(MAN_PAGES)) $(DESTDIR)$(mandir)/man8/
	$(SUBST) packaging/bcmon-exporter.service.in >$(DESTDIR)$(unitdir)/bcmon-exporter.service
	chmod 644 $(DESTDIR)$(unitdir)/bcmon-exporter.service
	[ -e $(DESTDIR)$(sysconfdir)/bcmon/exporter.yml ] || \
		install -m 644 packaging/exporter.yml $(DESTDIR)$(sysconfdir)/bcmon/exporter.yml
	echo bcmon >$(DESTDIR)$(sysconfdir)/modules-load.d/bcmon.conf
	install -m 644 monitoring/rules/*.yml $(DESTDIR)$(datadir)/bcmon/rules/
	install -m 644 monitoring/grafana/bcmon.json $(DESTDIR)$(datadir)/bcmon/grafana/
	install -m 644 README.md Documentation/*.md $(DESTDIR)$(docdir)/
	@if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null; then \
		dkms status -m bcmon -v $(VERSION) | grep -q . || dkms add bcmon/$(VERSION); \
		dkms install bcmon/$(VERSION); \
	elif [ -z "$(DESTDIR)" ]; then \
		echo "install: dkms not found: apt-get install dkms, then dkms install bcmon/$(VERSION)"; \
	fi
	@[ -n "$(DESTDIR)" ] || echo "install: now systemctl daemon-reload && systemctl enable --now bcmon-exporter"

# The DKMS source tree alone (also what scripts/dkms-build stages to build
# the module with the real dkms for each guest kernel).
install-dkms-src:
	install -d $(DESTDIR)$(dkmsdir)/kmod $(DESTDIR)$(dkmsdir)/include/uapi/linux
	install -m 644 kmod/*.c kmod/*.h kmod/*.mk kmod/Kbuild $(DESTDIR)$(dkmsdir)/kmod/
	install -m 755 kmod/*.sh $(DESTDIR)$(dkmsdir)/kmod/
	install -m 644 include/uapi/linux/bcmon.h $(DESTDIR)$(dkmsdir)/include/uapi/linux/
	$(SUBST) packaging/dkms/dkms.conf.in >$(DESTDIR)$(dkmsdir)/dkms.conf

.PHONY: man install-dkms-src
