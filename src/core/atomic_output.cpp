#include <chemores/core/atomic_output.hpp>
#include <chemores/core/errors.hpp>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <system_error>
#include <unistd.h>

namespace chemores
{
namespace
{
// A fixed table of temporary paths that the signal handler may unlink, or rmdir for directories
// (async-signal-safe: no allocation).
constexpr int max_tmp = 256;
constexpr int max_path = 4096;
char tmp_table[max_tmp][max_path];
std::atomic<bool> tmp_is_dir[max_tmp];
std::atomic<bool> tmp_used[max_tmp];
std::mutex table_mutex;

int register_tmp(std::string const & p, bool directory = false)
{
    std::lock_guard lock{table_mutex};
    if (p.size() + 1 > max_path)
        return -1;
    for (int i = 0; i < max_tmp; ++i)
    {
        if (!tmp_used[i].load())
        {
            std::memcpy(tmp_table[i], p.c_str(), p.size() + 1);
            tmp_is_dir[i].store(directory);
            tmp_used[i].store(true);
            return i;
        }
    }
    return -1;
}

void unregister_tmp(std::string const & p)
{
    std::lock_guard lock{table_mutex};
    for (int i = 0; i < max_tmp; ++i)
        if (tmp_used[i].load() && p == tmp_table[i])
            tmp_used[i].store(false);
}

extern "C" void cleanup_handler(int sig)
{
    for (int i = 0; i < max_tmp; ++i)
        if (tmp_used[i].load() && !tmp_is_dir[i].load())
            ::unlink(tmp_table[i]);
    // Directories after the files, and only if empty by then; a few passes so that nested ones go in any order.
    for (int pass = 0; pass < 4; ++pass)
        for (int i = 0; i < max_tmp; ++i)
            if (tmp_used[i].load() && tmp_is_dir[i].load())
                ::rmdir(tmp_table[i]);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

std::string temporary_name(std::string const & final_path)
{
    auto const slash = final_path.rfind('/');
    std::string const dir = slash == std::string::npos ? std::string{} : final_path.substr(0, slash + 1);
    std::string const base = slash == std::string::npos ? final_path : final_path.substr(slash + 1);
    return dir + "." + base + ".tmp" + std::to_string(::getpid());
}
} // namespace

void remove_on_signal(std::string const & path, bool directory)
{
    register_tmp(path, directory);
}

void forget_on_signal(std::string const & path) noexcept
{
    unregister_tmp(path);
}

void directory_guard::create(std::filesystem::path const & dir, std::error_code & ec)
{
    // The directories that do not exist yet, deepest first: the ones this call creates.
    // Anything that exists, or whose state cannot be told, is not ours.
    std::vector<std::filesystem::path> missing;
    auto p = dir.lexically_normal();
    if (!p.has_filename())
        p = p.parent_path(); // "out/" -> "out"
    for (; !p.empty(); p = p.parent_path())
    {
        std::error_code e;
        if (std::filesystem::symlink_status(p, e).type() != std::filesystem::file_type::not_found)
            break;
        missing.push_back(p);
        if (p == p.parent_path())
            break;
    }
    ec.clear();
    std::filesystem::create_directories(dir, ec);
    for (auto const & m : missing)
    {
        std::error_code e;
        if (std::filesystem::is_directory(m, e))
        {
            created_.push_back(m.string());
            remove_on_signal(created_.back(), true);
        }
    }
}

void directory_guard::keep() noexcept
{
    for (auto const & d : created_)
        unregister_tmp(d);
    created_.clear();
}

directory_guard::~directory_guard()
{
    for (auto const & d : created_)
    {
        std::error_code ec;
        std::filesystem::remove(d, ec); // only if empty
        unregister_tmp(d);
    }
}

void install_cleanup_signal_handlers()
{
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        std::signal(sig, cleanup_handler);
}

atomic_outputs::~atomic_outputs()
{
    if (!committed_)
        discard();
}

std::string atomic_outputs::add(std::string const & final_path)
{
    if (is_stdout(final_path))
        return "-";
    std::string tmp = temporary_name(final_path);
    register_tmp(tmp);
    entries_.push_back({tmp, final_path});
    return tmp;
}

void atomic_outputs::commit()
{
    for (auto const & e : entries_)
    {
        if (::access(e.tmp.c_str(), F_OK) != 0)
            continue; // an optional output that was not produced
        if (std::rename(e.tmp.c_str(), e.final.c_str()) != 0)
        {
            std::string const why = std::strerror(errno);
            discard();
            throw output_error{"cannot rename " + e.tmp + " to " + e.final + ": " + why};
        }
        unregister_tmp(e.tmp);
    }
    committed_ = true;
}

void atomic_outputs::discard() noexcept
{
    for (auto const & e : entries_)
    {
        ::unlink(e.tmp.c_str());
        unregister_tmp(e.tmp);
    }
}

} // namespace chemores
