/*
 * libsrtp 3 API (as used by mediasoup's worker) on top of Debian's libsrtp 2.5.
 *
 * mediasoup builds against versatica's libsrtp fork, whose calls differ from libsrtp 2.5:
 *  - protect/unprotect take separate input and output buffers with size_t lengths
 *    (libsrtp 2.5 works in place on an int length and assumes room for the trailer);
 *  - srtp_stream_remove() is srtp_remove_stream();
 *  - two extra error codes exist;
 *  - a policy is an opaque object built with srtp_policy_create() and setters, where
 *    libsrtp 2.5 has a plain struct the caller fills (and whose key it must keep alive).
 * Everything else mediasoup uses (profiles, SSRC types, events, init) has the same name and
 * meaning in both.
 */
#ifndef MS_SRTP_COMPAT_H
#define MS_SRTP_COMPAT_H

#include <srtp2/srtp.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

/* Codes the fork adds after srtp_err_status_pkt_idx_adv (27). */
static constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
static constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace ms_srtp_compat
{
	/* Copy `in` to `out` (when they differ) and run `op` in place on `out`. */
	template<typename Op>
	inline srtp_err_status_t inPlace(
	  Op op, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t trailer)
	{
		/* `*outLen` holds the capacity of `out` on entry. */
		if (inLen > INT_MAX - trailer || inLen + trailer > *outLen)
		{
			return srtp_err_status_buffer_small;
		}
		if (out != in)
		{
			std::memmove(out, in, inLen);
		}

		int len                      = static_cast<int>(inLen);
		const srtp_err_status_t err  = op(ctx, out, &len);

		if (err == srtp_err_status_ok)
		{
			*outLen = static_cast<size_t>(len);
		}

		return err;
	}

	inline srtp_err_status_t protect(
	  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mkiIndex*/)
	{
		return inPlace(::srtp_protect, ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
	}

	inline srtp_err_status_t protectRtcp(
	  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mkiIndex*/)
	{
		/* SRTCP adds its 4-byte index (with the E flag) to the tag and MKI of SRTP. */
		return inPlace(
		  ::srtp_protect_rtcp, ctx, rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4);
	}

	/* Unprotecting only shrinks the packet: the output needs no room beyond the input. */
	inline srtp_err_status_t unprotect(
	  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
	{
		*rtpLen = srtpLen;
		return inPlace(::srtp_unprotect, ctx, srtp, srtpLen, rtp, rtpLen, 0);
	}

	inline srtp_err_status_t unprotectRtcp(
	  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
	{
		*rtcpLen = srtcpLen;
		return inPlace(::srtp_unprotect_rtcp, ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
	}

	inline srtp_err_status_t streamRemove(srtp_t ctx, uint32_t ssrc)
	{
		return ::srtp_remove_stream(ctx, ssrc);
	}

	/* The libsrtp 3 policy object: a libsrtp 2.5 policy and the key||salt it points at. */
	struct Policy
	{
		::srtp_policy_t policy{};
		uint8_t key[SRTP_MAX_KEY_LEN]{};
		bool profileSet{ false };
	};

	using PolicyHandle = Policy*;

	inline srtp_err_status_t policyCreate(PolicyHandle* out)
	{
		if (out == nullptr)
		{
			return srtp_err_status_bad_param;
		}
		*out = new Policy();
		(*out)->policy.key  = (*out)->key;
		(*out)->policy.next = nullptr;

		return srtp_err_status_ok;
	}

	inline void policyDestroy(PolicyHandle policy)
	{
		delete policy;
	}

	inline srtp_err_status_t policySetSsrc(PolicyHandle policy, srtp_ssrc_t ssrc)
	{
		policy->policy.ssrc = ssrc;

		return srtp_err_status_ok;
	}

	inline srtp_err_status_t policySetProfile(PolicyHandle policy, srtp_profile_t profile)
	{
		srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->policy.rtp, profile);

		if (err != srtp_err_status_ok)
		{
			return err;
		}
		err = srtp_crypto_policy_set_from_profile_for_rtcp(&policy->policy.rtcp, profile);
		policy->profileSet = err == srtp_err_status_ok;

		return err;
	}

	/* libsrtp 2.5 reads the master key and salt as one buffer: key then salt. */
	inline srtp_err_status_t policyAddKey(
	  PolicyHandle policy,
	  const uint8_t* key,
	  size_t keyLen,
	  const uint8_t* salt,
	  size_t saltLen,
	  const uint8_t* /*mki*/,
	  size_t mkiLen)
	{
		if (!policy->profileSet || mkiLen != 0 || keyLen + saltLen > sizeof(policy->key))
		{
			return srtp_err_status_bad_param;
		}
		std::memcpy(policy->key, key, keyLen);
		std::memcpy(policy->key + keyLen, salt, saltLen);

		return srtp_err_status_ok;
	}

	inline srtp_err_status_t policySetAllowRepeatTx(PolicyHandle policy, bool allow)
	{
		policy->policy.allow_repeat_tx = allow ? 1 : 0;

		return srtp_err_status_ok;
	}

	inline srtp_err_status_t policySetWindowSize(PolicyHandle policy, size_t windowSize)
	{
		policy->policy.window_size = static_cast<unsigned long>(windowSize);

		return srtp_err_status_ok;
	}

	inline srtp_err_status_t create(srtp_t* session, PolicyHandle policy)
	{
		return ::srtp_create(session, &policy->policy);
	}
} // namespace ms_srtp_compat

#define srtp_protect        ms_srtp_compat::protect
#define srtp_protect_rtcp   ms_srtp_compat::protectRtcp
#define srtp_unprotect      ms_srtp_compat::unprotect
#define srtp_unprotect_rtcp ms_srtp_compat::unprotectRtcp
#define srtp_stream_remove  ms_srtp_compat::streamRemove
/* From here on `srtp_policy_t` is the libsrtp 3 handle (libsrtp 2.5's header is already read). */
#define srtp_policy_t                   ms_srtp_compat::PolicyHandle
#define srtp_policy_create              ms_srtp_compat::policyCreate
#define srtp_policy_destroy             ms_srtp_compat::policyDestroy
#define srtp_policy_set_ssrc            ms_srtp_compat::policySetSsrc
#define srtp_policy_set_profile         ms_srtp_compat::policySetProfile
#define srtp_policy_add_key             ms_srtp_compat::policyAddKey
#define srtp_policy_set_allow_repeat_tx ms_srtp_compat::policySetAllowRepeatTx
#define srtp_policy_set_window_size     ms_srtp_compat::policySetWindowSize
#define srtp_create                     ms_srtp_compat::create

#endif
