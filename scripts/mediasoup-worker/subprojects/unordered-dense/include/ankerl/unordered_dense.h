/*
 * ankerl::unordered_dense (as mediasoup's worker uses it) on top of the standard library.
 *
 * The worker uses unordered_dense::map, ::set and ::hash as drop-in hash containers: insert,
 * find, erase, iterate. std::unordered_map and std::unordered_set do all of that with the
 * same meaning; they are slower on lookups, which does not show at a meeting's packet rates.
 * A custom hash the worker declares (with unordered_dense's `is_avalanching` marker) works
 * unchanged: the standard containers just ignore the marker.
 */
#ifndef MS_UNORDERED_DENSE_COMPAT_H
#define MS_UNORDERED_DENSE_COMPAT_H

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	/* A hash the worker may also call directly, as unordered_dense::hash<T>{}(value). */
	template<class T, class Enable = void>
	struct hash
	{
		uint64_t operator()(const T& value) const noexcept
		{
			return static_cast<uint64_t>(std::hash<T>{}(value));
		}
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<class Key, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>, class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
