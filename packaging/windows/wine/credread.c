/*
 * credread.c: a test helper of the Wine test (test.sh), never shipped. It
 * reads Windows Credential Manager back the way another program of the
 * same user can, through CredReadW and CredEnumerateW:
 *
 *   credread generic TARGET   user and secret of a generic credential
 *                             (the kind go-keyring writes for an account)
 *   credread domain TARGET    user, comment, persistence and password of
 *                             a domain credential (the kind mstsc reads)
 *   credread list             type, target and comment of every credential
 *
 * Exit status 0 if found, 2 if not, 1 on any other error. The secret goes
 * to standard output: only ever a test's own seed or a test's code.
 */
#include <windows.h>
#include <wincred.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <fcntl.h>
#include <io.h>

static void put(const wchar_t *s, int len)
{
	char buf[4096];
	int n;
	if (!s) return;
	n = WideCharToMultiByte(CP_UTF8, 0, s, len, buf, sizeof buf - 1, NULL, NULL);
	if (n > 0) fwrite(buf, 1, n, stdout);
}

static void line(const char *key, const wchar_t *val)
{
	fputs(key, stdout);
	if (val) put(val, (int)wcslen(val));
	fputc('\n', stdout);
}

int wmain(int argc, wchar_t **argv)
{
	PCREDENTIALW c;
	PCREDENTIALW *all;
	DWORD n, i;
	_setmode(_fileno(stdout), _O_BINARY); /* \n, not \r\n */
	if (argc == 2 && !wcscmp(argv[1], L"list")) {
		if (!CredEnumerateW(NULL, 0, &n, &all)) {
			if (GetLastError() == ERROR_NOT_FOUND) return 0;
			fprintf(stderr, "credread: CredEnumerateW: error %lu\n", GetLastError());
			return 1;
		}
		for (i = 0; i < n; i++) {
			printf("%lu\t", all[i]->Type);
			put(all[i]->TargetName, (int)wcslen(all[i]->TargetName));
			fputc('\t', stdout);
			if (all[i]->Comment) put(all[i]->Comment, (int)wcslen(all[i]->Comment));
			fputc('\n', stdout);
		}
		CredFree(all);
		return 0;
	}
	if (argc != 3 || (wcscmp(argv[1], L"generic") && wcscmp(argv[1], L"domain"))) {
		fprintf(stderr, "usage: credread generic|domain TARGET | credread list\n");
		return 1;
	}
	if (!CredReadW(argv[2], wcscmp(argv[1], L"generic") ? CRED_TYPE_DOMAIN_PASSWORD : CRED_TYPE_GENERIC, 0, &c)) {
		if (GetLastError() == ERROR_NOT_FOUND) return 2;
		fprintf(stderr, "credread: CredReadW: error %lu\n", GetLastError());
		return 1;
	}
	line("user=", c->UserName);
	line("comment=", c->Comment);
	printf("persist=%lu\n", c->Persist);
	fputs("secret=", stdout);
	if (c->Type == CRED_TYPE_GENERIC) {
		/* go-keyring stores the secret's bytes as they are. */
		fwrite(c->CredentialBlob, 1, c->CredentialBlobSize, stdout);
	} else {
		/* A domain password is UTF-16, as mstsc reads it (a final NUL,
		 * if any, is not printed). */
		const wchar_t *w = (const wchar_t *)c->CredentialBlob;
		int len = (int)(c->CredentialBlobSize / sizeof(wchar_t));
		while (len > 0 && w[len - 1] == 0) len--;
		put(w, len);
	}
	fputc('\n', stdout);
	CredFree(c);
	return 0;
}
