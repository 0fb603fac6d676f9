/*
 * libsrtp 3 API (as used by mediasoup's worker) on top of Debian's libsrtp 2.5.
 *
 * mediasoup builds against versatica's libsrtp fork, whose calls differ from libsrtp 2.5:
 *  - protect/unprotect take separate input and output buffers with size_t lengths
 *    (libsrtp 2.5 works in place on an int length and assumes room for the trailer);
 *  - srtp_stream_remove() is srtp_remove_stream();
 *  - two extra error codes exist.
 * Everything else mediasoup uses has the same name and meaning in both.
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
} // namespace ms_srtp_compat

#define srtp_protect        ms_srtp_compat::protect
#define srtp_protect_rtcp   ms_srtp_compat::protectRtcp
#define srtp_unprotect      ms_srtp_compat::unprotect
#define srtp_unprotect_rtcp ms_srtp_compat::unprotectRtcp
#define srtp_stream_remove  ms_srtp_compat::streamRemove

#endif
