#pragma once
// A journal entry as its slot keeps it: every field in one buffer, the fixed ones first, then
// each text with its length. Writing a slot then touches a few adjacent cache lines instead of
// a dozen scattered string buffers: under load the ring (10,000 entries) is cold, and those
// misses, not the copying, were what the capture of whole requests cost (issue #20, bench/README).
#include "mock_apns/journal.hpp"

#include <string>
#include <string_view>

namespace mock_apns {

// Writes `entry` (its body cut to `body_limit`) into `out`, reusing out's buffer.
void encode_journal_entry(const JournalEntry& entry, std::size_t body_limit, std::string& out);
// Reads what encode_journal_entry wrote back into `out`, reusing out's buffers. `record` must be
// such a record: the journal reads only its own slots.
void decode_journal_entry(std::string_view record, JournalEntry& out);
// The apns-id of a record, read without decoding the rest: the journal looks entries up by it.
std::string_view journal_record_apns_id(std::string_view record);
// The bytes a record takes besides its texts' and headers' bytes.
std::size_t journal_record_overhead(std::size_t answer_fields, std::size_t steps);

} // namespace mock_apns
