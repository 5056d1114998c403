/*
 * typetarget.c: a login form for the Wine test of typing (test.sh, part
 * "type"), never shipped. It is a real Windows program of its own (not
 * softtoken's process), as a portal's browser window or an RDP client is:
 * a window titled "softtoken-type-target" with two edit fields, user and
 * code; the first has the keyboard focus. Tab moves to the next field, as
 * in a form; Enter submits: it writes result.txt in the folder it runs
 * from (user=..., code=..., then one line per key it got: "key VK SCAN",
 * the virtual-key and scan codes in hex, as Windows reported them in
 * WM_KEYDOWN) and exits 0. It writes "ready" once its window is up, and
 * gives up after two minutes (exit 6).
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static wchar_t dir[MAX_PATH];
static HWND fields[2];
static char keys[8192];
static size_t nkeys;

static const wchar_t *at(const wchar_t *name)
{
	static wchar_t p[MAX_PATH + 64];
	_snwprintf(p, MAX_PATH + 63, L"%ls\\%ls", dir, name);
	p[MAX_PATH + 63] = 0;
	return p;
}

static void submit(void)
{
	char user[256], code[256];
	wchar_t part[MAX_PATH + 64];
	FILE *f;
	GetWindowTextA(fields[0], user, sizeof user);
	GetWindowTextA(fields[1], code, sizeof code);
	wcscpy(part, at(L"result.txt.part")); /* at's buffer is reused */
	f = _wfopen(part, L"w");
	if (!f) ExitProcess(3);
	fprintf(f, "user=%s\ncode=%s\n%s", user, code, keys);
	fclose(f);
	if (!MoveFileExW(part, at(L"result.txt"), MOVEFILE_REPLACE_EXISTING)) ExitProcess(7);
	ExitProcess(0);
}

static LRESULT CALLBACK proc(HWND w, UINT m, WPARAM wp, LPARAM lp)
{
	if (m == WM_DESTROY) PostQuitMessage(0);
	return DefWindowProcW(w, m, wp, lp);
}

int wmain(void)
{
	WNDCLASSW wc = {0};
	HWND win;
	MSG msg;
	FILE *f;
	wchar_t *slash;
	int i;
	GetModuleFileNameW(NULL, dir, MAX_PATH);
	slash = wcsrchr(dir, L'\\');
	if (slash) *slash = 0;

	wc.lpfnWndProc = proc;
	wc.hInstance = GetModuleHandleW(NULL);
	wc.lpszClassName = L"typetarget";
	wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
	RegisterClassW(&wc);
	win = CreateWindowExW(0, L"typetarget", L"softtoken-type-target", WS_OVERLAPPEDWINDOW | WS_VISIBLE,
		200, 200, 320, 140, NULL, NULL, wc.hInstance, NULL);
	if (!win) return 4;
	for (i = 0; i < 2; i++)
		fields[i] = CreateWindowExW(WS_EX_CLIENTEDGE, L"EDIT", L"", WS_CHILD | WS_VISIBLE | WS_TABSTOP | ES_AUTOHSCROLL,
			10, 10 + 40 * i, 280, 28, win, (HMENU)(INT_PTR)(100 + i), wc.hInstance, NULL);
	SetForegroundWindow(win);
	SetFocus(fields[0]);
	f = _wfopen(at(L"ready"), L"w");
	if (!f) return 5;
	fclose(f);
	SetTimer(NULL, 0, 120000, NULL);
	while (GetMessageW(&msg, NULL, 0, 0) > 0) {
		if (msg.message == WM_TIMER) return 6;
		if (msg.message == WM_KEYDOWN) {
			int n = _snprintf(keys + nkeys, sizeof keys - nkeys, "key %02x %02x\n",
				(unsigned)msg.wParam, (unsigned)((msg.lParam >> 16) & 0xff));
			if (n > 0 && nkeys + n < sizeof keys) nkeys += n;
			if (msg.wParam == VK_RETURN) submit();
			if (msg.wParam == VK_TAB) {
				SetFocus(fields[GetFocus() == fields[0] ? 1 : 0]);
				continue;
			}
		}
		TranslateMessage(&msg);
		DispatchMessageW(&msg);
	}
	return 0;
}
