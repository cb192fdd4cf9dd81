#pragma once
//!\file
//!\brief Typed exceptions of the chemores library. The library never calls exit(); the CLI catches these at the top.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace chemores
{

//!\brief Bad user input: names the file and, where known, the line or record.
class input_error : public std::runtime_error
{
public:
    input_error(std::string const & file, std::string const & msg) : std::runtime_error{format(file, 0, "", msg)}
    {
    }
    input_error(std::string const & file, uint64_t line, std::string const & msg) :
        std::runtime_error{format(file, line, "line", msg)}
    {
    }
    input_error(std::string const & file, std::string const & unit, uint64_t number, std::string const & msg) :
        std::runtime_error{format(file, number, unit, msg)}
    {
    }

private:
    static std::string format(std::string const & file, uint64_t n, std::string const & unit, std::string const & msg)
    {
        std::string s = file.empty() ? std::string{"(input)"} : file;
        if (n > 0)
            s += " " + unit + " " + std::to_string(n);
        return s + ": " + msg;
    }
};

//!\brief Contradictory or invalid options (exit status 2 at the CLI).
class config_error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

//!\brief Output could not be written (disk full, permission, ...).
class output_error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

//!\brief A broken invariant: a bug in chemores, never the user's fault.
class internal_error : public std::logic_error
{
public:
    using std::logic_error::logic_error;
};

} // namespace chemores
