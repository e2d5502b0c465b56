// A SQLite VFS for tests that behaves like the default one except that it
// can fail the Nth write or sync, in the spirit of LevelDB's ErrorEnv: the
// store under test is real, only the disk misbehaves. Select it with
// StoreOptions::vfs_name = FaultyVfs::kName.
#ifndef RECIPROCITY_TESTS_STORE_FAULTY_VFS_H_
#define RECIPROCITY_TESTS_STORE_FAULTY_VFS_H_

#include <atomic>

namespace reciprocity::store::testing {

class FaultyVfs {
 public:
  static constexpr char kName[] = "recip-faulty";
  enum class Op { kWrite, kSync };

  // Registers the VFS (once per process) and returns it.
  static FaultyVfs& Get();

  // Counting from now, the `n`th (1-based) call of `op` returns `error`
  // (an SQLite result code such as SQLITE_IOERR_WRITE or SQLITE_FULL)
  // without touching the disk. When `sticky`, every later call of `op`
  // fails too, as a full disk would, until Clear().
  void FailNth(Op op, int n, int error, bool sticky = false);
  // Stops failing: the disk has room again.
  void Clear();

  // How many calls have been failed since the last FailNth.
  int failures() const { return failures_.load(); }

  // Used by the VFS callbacks: returns the error for this call, or 0.
  int Check(Op op);

 private:
  FaultyVfs() = default;
  std::atomic<bool> armed_{false};
  std::atomic<Op> op_{Op::kWrite};
  std::atomic<int> remaining_{0};  // calls of op_ to let through
  std::atomic<int> error_{0};
  std::atomic<bool> sticky_{false};
  std::atomic<int> failures_{0};
};

}  // namespace reciprocity::store::testing

#endif  // RECIPROCITY_TESTS_STORE_FAULTY_VFS_H_
