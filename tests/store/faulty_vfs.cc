#include "tests/store/faulty_vfs.h"

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace reciprocity::store::testing {
namespace {

// Our file wraps the real one, which lives in the bytes right after it.
struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_vfs* Real(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}
sqlite3_file* Real(sqlite3_file* file) {
  return reinterpret_cast<FaultyFile*>(file)->real;
}
const sqlite3_io_methods& M(sqlite3_file* file) {
  return *Real(file)->pMethods;
}

int Close(sqlite3_file* f) { return M(f).xClose(Real(f)); }
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 offset) {
  return M(f).xRead(Real(f), buf, n, offset);
}
int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 offset) {
  if (int error = FaultyVfs::Get().Check(FaultyVfs::Op::kWrite)) return error;
  return M(f).xWrite(Real(f), buf, n, offset);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return M(f).xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) {
  if (int error = FaultyVfs::Get().Check(FaultyVfs::Op::kSync)) return error;
  return M(f).xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return M(f).xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return M(f).xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return M(f).xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return M(f).xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return M(f).xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return M(f).xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return M(f).xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int page, int size, int extend,
           void volatile** out) {
  return M(f).xShmMap(Real(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return M(f).xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { M(f).xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return M(f).xShmUnmap(Real(f), delete_flag);
}
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
  return M(f).xFetch(Real(f), offset, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return M(f).xUnfetch(Real(f), offset, p);
}

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
         int* out_flags) {
  auto* faulty = reinterpret_cast<FaultyFile*>(file);
  faulty->real = reinterpret_cast<sqlite3_file*>(faulty + 1);
  std::memset(faulty->real, 0, static_cast<size_t>(Real(vfs)->szOsFile));
  int rc = Real(vfs)->xOpen(Real(vfs), name, faulty->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set, so leave it unset when
  // the real open failed.
  file->pMethods =
      rc == SQLITE_OK && faulty->real->pMethods ? &kMethods : nullptr;
  return rc;
}
int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Real(vfs)->xDelete(Real(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Real(vfs)->xAccess(Real(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Real(vfs)->xFullPathname(Real(vfs), name, n, out);
}
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Real(vfs)->xRandomness(Real(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) {
  return Real(vfs)->xSleep(Real(vfs), micros);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return Real(vfs)->xCurrentTime(Real(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Real(vfs)->xGetLastError(Real(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Real(vfs)->xCurrentTimeInt64(Real(vfs), out);
}

}  // namespace

FaultyVfs& FaultyVfs::Get() {
  static FaultyVfs* const instance = new FaultyVfs();
  static std::once_flag registered;
  std::call_once(registered, [] {
    sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
    static sqlite3_vfs vfs;
    std::memset(&vfs, 0, sizeof(vfs));
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + real->szOsFile;
    vfs.mxPathname = real->mxPathname;
    vfs.zName = kName;
    vfs.pAppData = real;
    vfs.xOpen = Open;
    vfs.xDelete = Delete;
    vfs.xAccess = Access;
    vfs.xFullPathname = FullPathname;
    vfs.xDlOpen = real->xDlOpen;
    vfs.xDlError = real->xDlError;
    vfs.xDlSym = real->xDlSym;
    vfs.xDlClose = real->xDlClose;
    vfs.xRandomness = Randomness;
    vfs.xSleep = Sleep;
    vfs.xCurrentTime = CurrentTime;
    vfs.xGetLastError = GetLastError;
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&vfs, /*makeDflt=*/0);
  });
  return *instance;
}

void FaultyVfs::FailNth(Op op, int n, int error, bool sticky) {
  armed_ = false;
  op_ = op;
  remaining_ = n - 1;
  error_ = error;
  sticky_ = sticky;
  failures_ = 0;
  armed_ = true;
}

void FaultyVfs::Clear() { armed_ = false; }

int FaultyVfs::Check(Op op) {
  if (!armed_ || op != op_) return 0;
  if (remaining_.fetch_sub(1) > 0) return 0;
  if (!sticky_) armed_ = false;
  ++failures_;
  return error_;
}

}  // namespace reciprocity::store::testing
