#pragma once
//!\file
//!\brief Outputs are written under a temporary name beside the final one and renamed on success, so an
//!       interrupted or failed run never leaves a file that looks complete.

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace chemores
{

/*!\brief A set of output files committed together.
 * \details add() returns the temporary path to write to. commit() renames every temporary file to its final
 *          name (in the order added). If the object is destroyed without commit(), or the process receives
 *          SIGINT/SIGTERM/SIGHUP, the temporary files are removed. "-" (stdout) is passed through unchanged.
 */
class atomic_outputs
{
public:
    atomic_outputs() = default;
    atomic_outputs(atomic_outputs const &) = delete;
    atomic_outputs & operator=(atomic_outputs const &) = delete;
    ~atomic_outputs();

    //!\brief Register `final_path`; returns the temporary path to write to (or "-" for stdout).
    std::string add(std::string const & final_path);
    //!\brief Rename every temporary file to its final name. Throws output_error on failure.
    void commit();
    //!\brief Remove every temporary file now.
    void discard() noexcept;

private:
    struct entry
    {
        std::string tmp;
        std::string final;
    };
    std::vector<entry> entries_;
    bool committed_ = false;
};

//!\brief Install SIGINT/SIGTERM/SIGHUP handlers that delete registered temporary files and re-raise.
void install_cleanup_signal_handlers();

/*!\brief Remove `path` too if the process receives SIGINT/SIGTERM/SIGHUP, until forget_on_signal(path): a file is
 *        unlinked, a directory (`directory` true) removed if it is empty once the files are gone. For temporary
 *        files that are not the output of an atomic_outputs (sort chunks, a work directory and its contents).
 */
void remove_on_signal(std::string const & path, bool directory = false);
//!\brief Undo remove_on_signal(path).
void forget_on_signal(std::string const & path) noexcept;

/*!\brief An output directory that a failed or interrupted run does not leave behind.
 * \details create() makes the directory and its missing parents (as std::filesystem::create_directories). Unless
 *          keep() is called (once the outputs are committed), the directories it made are removed, deepest first and
 *          only if empty, when the guard is destroyed or the process receives SIGINT/SIGTERM/SIGHUP. A directory
 *          that existed before is never removed.
 */
class directory_guard
{
public:
    directory_guard() = default;
    directory_guard(directory_guard const &) = delete;
    directory_guard & operator=(directory_guard const &) = delete;
    ~directory_guard();

    void create(std::filesystem::path const & dir, std::error_code & ec);
    void keep() noexcept;

private:
    std::vector<std::string> created_; // deepest first
};

//!\brief True if `path` names standard output.
inline bool is_stdout(std::string const & path)
{
    return path.empty() || path == "-";
}

} // namespace chemores
