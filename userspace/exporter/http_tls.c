// SPDX-License-Identifier: GPL-2.0
/*
 * TLS, as exporter-toolkit does it, over libmicrohttpd's GnuTLS support:
 * - the certificate and key are handed to GnuTLS per handshake through a
 *   callback (MHD_OPTION_HTTPS_CERT_CALLBACK), so that a reload of the web
 *   configuration (the files changed) swaps them for new handshakes
 *   without a restart;
 * - client certificates (client_auth_type, client_ca_file) are checked
 *   per request against the client CAs in force, which reload likewise.
 *   libmicrohttpd asks clients for a certificate when it was started with
 *   a trust list (MHD_OPTION_HTTPS_MEM_TRUST); it never verifies one
 *   itself, so the verdict is ours: a request that the rules refuse is
 *   answered 403 (exporter-toolkit's Go server fails the handshake
 *   instead);
 * - min_version becomes a GnuTLS priority string (fixed at start).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "clock.h"
#include "http_internal.h"
#include "log.h"

#define MAX_CHAIN 16
/* Replaced credentials may still be in a handshake: kept this long. */
#define RETIRE_S 120.0

struct creds {
	gnutls_pcert_st pcert[MAX_CHAIN];
	unsigned int npcert;
	gnutls_privkey_t key;
	gnutls_x509_trust_list_t client_cas;	/* NULL without client_ca_file */
	struct timespec retired;
	struct creds *older;
};

struct http_tls {
	char priorities[128];
};

/* The GnuTLS callback has no argument of ours: one server per process. */
static pthread_mutex_t creds_lock = PTHREAD_MUTEX_INITIALIZER;
static struct creds *current;

static void creds_free(struct creds *c)
{
	if (!c)
		return;
	for (unsigned int i = 0; i < c->npcert; i++)
		gnutls_pcert_deinit(&c->pcert[i]);
	if (c->key)
		gnutls_privkey_deinit(c->key);
	if (c->client_cas)
		gnutls_x509_trust_list_deinit(c->client_cas, 1);
	free(c);
}

static gnutls_datum_t datum(const char *pem)
{
	return (gnutls_datum_t){ (unsigned char *)pem, (unsigned int)strlen(pem) };
}

/*
 * Does the private key belong to the certificate? A certificate and its key
 * are two files written one after the other, so a reload can see a new key
 * beside the old certificate; serving that pair would fail every handshake
 * (as Go's tls.X509KeyPair, which exporter-toolkit uses, refuses it too).
 * Compared by the SHA-256 key IDs of the two public keys.
 */
static int key_matches_cert(gnutls_privkey_t key, gnutls_pubkey_t cert_key)
{
	unsigned char from_key[64], from_cert[64];
	size_t nkey = sizeof(from_key), ncert = sizeof(from_cert);
	gnutls_pubkey_t pub;
	int ret = gnutls_pubkey_init(&pub);

	if (ret < 0)
		return ret;
	ret = gnutls_pubkey_import_privkey(pub, key, 0, 0);
	if (ret >= 0)
		ret = gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, from_key, &nkey);
	if (ret >= 0)
		ret = gnutls_pubkey_get_key_id(cert_key, GNUTLS_KEYID_USE_SHA256, from_cert, &ncert);
	gnutls_pubkey_deinit(pub);
	if (ret < 0)
		return ret;
	return nkey == ncert && !memcmp(from_key, from_cert, nkey) ? 0 :
	       GNUTLS_E_CERTIFICATE_KEY_MISMATCH;
}

static struct creds *creds_load(const struct web_config *wc)
{
	struct creds *c = calloc(1, sizeof(*c));
	gnutls_datum_t d;
	int ret;

	if (!c)
		return NULL;
	c->npcert = MAX_CHAIN;
	d = datum(wc->cert_pem);
	ret = gnutls_pcert_list_import_x509_raw(c->pcert, &c->npcert, &d, GNUTLS_X509_FMT_PEM, 0);
	if (ret < 0) {
		c->npcert = 0;
		log_error("TLS certificate %s: %s", wc->cert_path ? wc->cert_path : "",
			  gnutls_strerror(ret));
		goto fail;
	}
	ret = gnutls_privkey_init(&c->key);
	if (ret >= 0) {
		d = datum(wc->key_pem);
		ret = gnutls_privkey_import_x509_raw(c->key, &d, GNUTLS_X509_FMT_PEM, NULL, 0);
	}
	if (ret < 0) {
		log_error("TLS key %s: %s", wc->key_path ? wc->key_path : "", gnutls_strerror(ret));
		goto fail;
	}
	ret = key_matches_cert(c->key, c->pcert[0].pubkey);
	if (ret < 0) {
		log_error("TLS key %s and certificate %s: %s", wc->key_path ? wc->key_path : "",
			  wc->cert_path ? wc->cert_path : "", gnutls_strerror(ret));
		goto fail;
	}
	if (wc->client_ca_pem) {
		ret = gnutls_x509_trust_list_init(&c->client_cas, 0);
		if (ret >= 0) {
			d = datum(wc->client_ca_pem);
			ret = gnutls_x509_trust_list_add_trust_mem(c->client_cas, &d, NULL,
								   GNUTLS_X509_FMT_PEM, 0, 0);
			if (ret == 0)
				ret = GNUTLS_E_NO_CERTIFICATE_FOUND;
		}
		if (ret < 0) {
			log_error("client CA file %s: %s", wc->client_ca_path, gnutls_strerror(ret));
			goto fail;
		}
	}
	return c;
fail:
	creds_free(c);
	return NULL;
}

static int retrieve_cert(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn,
			 int nreqs, const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
			 gnutls_pcert_st **pcert, unsigned int *pcert_length,
			 gnutls_privkey_t *privkey)
{
	(void)session;
	(void)req_ca_rdn;
	(void)nreqs;
	(void)pk_algos;
	(void)pk_algos_length;
	pthread_mutex_lock(&creds_lock);
	*pcert = current->pcert;
	*pcert_length = current->npcert;
	*privkey = current->key;
	pthread_mutex_unlock(&creds_lock);
	return 0;
}

int http_tls_init(struct http_server *srv, const struct web_config *wc)
{
	static const char *const versions[] = { "+VERS-TLS1.3", "+VERS-TLS1.2",
						"+VERS-TLS1.1", "+VERS-TLS1.0" };
	struct http_tls *t = calloc(1, sizeof(*t));
	unsigned int allowed = 0x0304 - wc->min_version + 1;

	if (!t)
		return -ENOMEM;
	current = creds_load(wc);
	if (!current) {
		free(t);
		return -EINVAL;
	}
	snprintf(t->priorities, sizeof(t->priorities), "NORMAL:-VERS-ALL");
	for (unsigned int i = 0; i < allowed && i < 4; i++)
		snprintf(t->priorities + strlen(t->priorities),
			 sizeof(t->priorities) - strlen(t->priorities), ":%s", versions[i]);
	srv->tls = t;
	log_info("TLS priorities=%s client_auth_type=%s", t->priorities,
		 webconfig_client_auth_name(wc->client_auth));
	return 0;
}

void http_tls_free(struct http_server *srv)
{
	struct creds *c;

	if (!srv->tls)
		return;
	pthread_mutex_lock(&creds_lock);
	c = current;
	current = NULL;
	pthread_mutex_unlock(&creds_lock);
	while (c) {
		struct creds *older = c->older;

		creds_free(c);
		c = older;
	}
	free(srv->tls);
	srv->tls = NULL;
}

int http_tls_reload(struct http_server *srv, const struct web_config *wc)
{
	struct creds *fresh = creds_load(wc), *c, *expired = NULL;
	struct timespec now = mono_now();

	(void)srv;
	if (!fresh)
		return -EINVAL;
	pthread_mutex_lock(&creds_lock);
	current->retired = now;
	fresh->older = current;
	current = fresh;
	/* Forget the ones retired long enough ago to be out of every handshake. */
	for (c = fresh; c->older; c = c->older)
		if (mono_diff(c->older->retired, now) > RETIRE_S) {
			expired = c->older;
			c->older = NULL;
			break;
		}
	pthread_mutex_unlock(&creds_lock);
	while (expired) {
		c = expired->older;
		creds_free(expired);
		expired = c;
	}
	return 0;
}

void http_tls_daemon_options(struct http_server *srv, const struct web_config *wc,
			     struct MHD_OptionItem *opts, size_t *n)
{
	opts[(*n)++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_CERT_CALLBACK, 0,
						(void *)retrieve_cert };
	opts[(*n)++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
						srv->tls->priorities };
	/* A trust list is what makes libmicrohttpd ask for a client
	 * certificate; without client CAs, the server's own certificate
	 * serves as the (unused) list. */
	if (wc->client_auth != CLIENT_AUTH_NONE)
		opts[(*n)++] = (struct MHD_OptionItem){
			MHD_OPTION_HTTPS_MEM_TRUST, 0,
			(void *)(wc->client_ca_pem ? wc->client_ca_pem : wc->cert_pem) };
}

/* 0 when the peer's chain verifies against the client CAs for TLS client use. */
static int verify_chain(gnutls_x509_trust_list_t cas, const gnutls_datum_t *certs,
			unsigned int n)
{
	gnutls_x509_crt_t crts[MAX_CHAIN];
	gnutls_typed_vdata_st purpose = {
		.type = GNUTLS_DT_KEY_PURPOSE_OID,
		.data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT,
	};
	unsigned int imported = 0, status = 1;
	int ret = 0;

	if (n > MAX_CHAIN)
		n = MAX_CHAIN;
	for (; imported < n && ret >= 0; imported++) {
		ret = gnutls_x509_crt_init(&crts[imported]);
		if (ret < 0)
			break;
		ret = gnutls_x509_crt_import(crts[imported], &certs[imported], GNUTLS_X509_FMT_DER);
	}
	if (ret >= 0)
		ret = gnutls_x509_trust_list_verify_crt2(cas, crts, n, &purpose, 1, 0, &status, NULL);
	for (unsigned int i = 0; i < imported; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return ret < 0 ? ret : status ? -EACCES : 0;
}

bool http_tls_client_allowed(struct http_server *srv, struct MHD_Connection *c,
			     const struct web_config *wc)
{
	const union MHD_ConnectionInfo *ci;
	const gnutls_datum_t *certs;
	unsigned int n = 0;
	bool ok;

	(void)srv;
	if (wc->client_auth == CLIENT_AUTH_NONE || wc->client_auth == CLIENT_AUTH_REQUEST)
		return true;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return false;
	certs = gnutls_certificate_get_peers(ci->tls_session, &n);
	if (!certs || !n)
		return wc->client_auth == CLIENT_AUTH_VERIFY_IF_GIVEN;
	if (wc->client_auth == CLIENT_AUTH_REQUIRE_ANY)
		return true;
	pthread_mutex_lock(&creds_lock);
	ok = current && current->client_cas && !verify_chain(current->client_cas, certs, n);
	pthread_mutex_unlock(&creds_lock);
	if (!ok)
		log_debug("client certificate refused");
	return ok;
}
