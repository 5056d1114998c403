/*
 * mstsc.c: a stand-in for Windows' Remote Desktop client, for the Wine
 * test only (test.sh), never shipped. It is the one stand-in of that
 * test: the real mstsc.exe is part of Windows, not of Wine, and cannot
 * run here.
 *
 * It does what the test needs to see of mstsc: it records its command line
 * (args.txt, UTF-8, one argument a line) and a copy of the .rdp file it was given
 * (session.rdp) in the folder it runs from, then writes "started" and
 * stays running, as mstsc does for the length of a session, until the
 * test creates "release" there (or two minutes pass); meanwhile the test
 * reads the short-lived credentials that softtoken put for it.
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static wchar_t dir[MAX_PATH];

static const wchar_t *at(const wchar_t *name)
{
	static wchar_t p[MAX_PATH + 64];
	_snwprintf(p, MAX_PATH + 63, L"%ls\\%ls", dir, name);
	p[MAX_PATH + 63] = 0;
	return p;
}

int wmain(int argc, wchar_t **argv)
{
	wchar_t *slash;
	FILE *f;
	int i;
	GetModuleFileNameW(NULL, dir, MAX_PATH);
	slash = wcsrchr(dir, L'\\');
	if (slash) *slash = 0;

	f = _wfopen(at(L"args.txt"), L"wb");
	if (!f) return 3;
	for (i = 1; i < argc; i++) {
		char buf[4 * MAX_PATH];
		int n = WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, buf, sizeof buf, NULL, NULL);
		if (n > 0) fprintf(f, "%s\n", buf); /* UTF-8, one a line */
	}
	fclose(f);
	if (argc > 1 && !CopyFileW(argv[argc - 1], at(L"session.rdp"), FALSE)) return 4;
	f = _wfopen(at(L"started"), L"w");
	if (!f) return 5;
	fclose(f);
	for (i = 0; i < 1200; i++) {
		if (GetFileAttributesW(at(L"release")) != INVALID_FILE_ATTRIBUTES) return 0;
		Sleep(100);
	}
	return 6;
}
