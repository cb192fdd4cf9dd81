#pragma once
//!\file
//!\brief Outputs are written under a temporary name beside the final one and renamed on success, so an
//!       interrupted or failed run never leaves a file that looks complete.

#include <string>
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

//!\brief True if `path` names standard output.
inline bool is_stdout(std::string const & path)
{
    return path.empty() || path == "-";
}

} // namespace chemores
